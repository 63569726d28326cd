package dev.lenet.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.TrainingConfig;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.CheckedOutputStream;

/**
 * Writes and finds checkpoints in a directory: one subdirectory {@code epoch-NNNN} per checkpoint,
 * holding {@code spec.json}, {@code state.json} and {@code tensors.bin}.
 *
 * <p>A checkpoint is written into {@code .epoch-NNNN.partial}, every file forced to disk, then the
 * directory is renamed into place; only then is the previous checkpoint removed. A crash at any
 * moment leaves at least one complete checkpoint (or none before the first), and {@link #latest}
 * ignores partial ones.
 */
public final class Checkpoints {

  /** The checkpoint format this version writes and reads. */
  public static final int FORMAT = 1;

  private static final Pattern NAME = Pattern.compile("epoch-(\\d{4,})");
  private static final int MAGIC = 0x4C4E5443; // "LNTC"
  private static final ObjectMapper JSON =
      Json.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private Checkpoints() {}

  /** The small part of a checkpoint, as JSON. */
  private record State(
      int format,
      TrainingConfig config,
      List<String> classNames,
      int epoch,
      List<EpochMetrics> history) {}

  /**
   * Writes {@code checkpoint} into {@code dir} atomically and then removes older checkpoints.
   *
   * @return the new checkpoint's directory
   */
  public static Path write(Path dir, Checkpoint checkpoint) throws IOException {
    return write(dir, checkpoint, CheckpointHook.NONE);
  }

  /**
   * Writes {@code checkpoint} into {@code dir} atomically and then removes older checkpoints,
   * telling {@code hook} as each {@link CheckpointHook.Stage stage} is reached.
   *
   * @return the new checkpoint's directory
   * @throws IOException if a file cannot be written, or the hook throws
   */
  public static Path write(Path dir, Checkpoint checkpoint, CheckpointHook hook)
      throws IOException {
    Files.createDirectories(dir);
    String name = String.format(java.util.Locale.ROOT, "epoch-%04d", checkpoint.epoch());
    Path partial = dir.resolve("." + name + ".partial");
    deleteTree(partial);
    Files.createDirectory(partial);
    SpecJson.write(checkpoint.spec(), partial.resolve("spec.json"));
    Files.writeString(
        partial.resolve("state.json"),
        JSON.writeValueAsString(
            new State(
                FORMAT,
                checkpoint.config(),
                checkpoint.classNames(),
                checkpoint.epoch(),
                checkpoint.history())));
    writeTensors(partial.resolve("tensors.bin"), checkpoint.tensors());
    for (String f : List.of("spec.json", "state.json", "tensors.bin")) {
      force(partial.resolve(f));
    }
    hook.reached(CheckpointHook.Stage.FILES_WRITTEN, checkpoint.epoch());
    Path target = dir.resolve(name);
    deleteTree(target);
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    force(dir);
    hook.reached(CheckpointHook.Stage.RENAMED, checkpoint.epoch());
    for (Path old : complete(dir)) {
      if (!old.equals(target)) {
        deleteTree(old);
      }
    }
    return target;
  }

  /**
   * The newest complete checkpoint in {@code dir}, if any.
   *
   * @throws ModelFormatException if the newest one cannot be read (naming the file and problem)
   */
  public static Optional<Checkpoint> latest(Path dir) {
    List<Path> all = complete(dir);
    return all.isEmpty() ? Optional.empty() : Optional.of(read(all.get(all.size() - 1)));
  }

  /** Reads one checkpoint directory. */
  public static Checkpoint read(Path checkpoint) {
    ModelSpec spec;
    State state;
    try {
      spec = SpecJson.read(checkpoint.resolve("spec.json"));
      state = JSON.readValue(Files.readString(checkpoint.resolve("state.json")), State.class);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          checkpoint.resolve("state.json")
              + ": not a valid checkpoint state: "
              + e.getOriginalMessage(),
          e);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ModelFormatException(
          checkpoint + ": cannot read the checkpoint: " + e.getMessage(), e);
    }
    if (state.format() > FORMAT) {
      throw new ModelFormatException(
          checkpoint
              + ": checkpoint format "
              + state.format()
              + " is newer than this lenet reads ("
              + FORMAT
              + "); upgrade lenet");
    }
    Map<String, float[]> tensors = readTensors(checkpoint.resolve("tensors.bin"));
    return new Checkpoint(
        spec, state.config(), state.classNames(), state.epoch(), state.history(), tensors);
  }

  /** Complete checkpoint directories in {@code dir}, oldest first. */
  static List<Path> complete(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Path> found = new java.util.ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches() && Files.isDirectory(p)) {
          found.add(p);
        }
      }
    } catch (IOException e) {
      throw new ModelFormatException(dir + ": cannot list checkpoints: " + e.getMessage(), e);
    }
    found.sort(Comparator.comparing(p -> p.getFileName().toString()));
    return found;
  }

  private static void writeTensors(Path file, Map<String, float[]> tensors) throws IOException {
    CRC32 crc = new CRC32();
    try (OutputStream raw = Files.newOutputStream(file);
        CheckedOutputStream checked = new CheckedOutputStream(raw, crc);
        DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(checked))) {
      out.writeInt(MAGIC);
      out.writeInt(FORMAT);
      out.writeInt(tensors.size());
      for (Map.Entry<String, float[]> e : tensors.entrySet()) {
        out.writeUTF(e.getKey());
        float[] values = e.getValue();
        out.writeInt(values.length);
        ByteBuffer bytes = ByteBuffer.allocate(values.length * 4);
        bytes.asFloatBuffer().put(values);
        out.write(bytes.array());
      }
      out.flush();
      new DataOutputStream(raw).writeLong(crc.getValue());
    }
  }

  private static Map<String, float[]> readTensors(Path file) {
    byte[] all;
    try {
      all = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (all.length < 20) {
      throw new ModelFormatException(file + ": truncated (" + all.length + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(all);
    CRC32 crc = new CRC32();
    crc.update(all, 0, all.length - 8);
    if (in.getLong(all.length - 8) != crc.getValue()) {
      throw new ModelFormatException(
          file + ": checksum mismatch; the file is truncated or corrupt");
    }
    if (in.getInt() != MAGIC) {
      throw new ModelFormatException(file + ": not a lenet tensor file (bad magic)");
    }
    int format = in.getInt();
    if (format > FORMAT) {
      throw new ModelFormatException(
          file + ": tensor format " + format + " is newer than this lenet reads");
    }
    Map<String, float[]> tensors = new LinkedHashMap<>();
    try {
      int count = in.getInt();
      for (int i = 0; i < count; i++) {
        byte[] nameBytes = new byte[in.getShort() & 0xFFFF];
        in.get(nameBytes);
        String name = new String(nameBytes, java.nio.charset.StandardCharsets.UTF_8);
        int n = in.getInt();
        if (n < 0 || (long) n * 4 > in.remaining() - 8) {
          throw new ModelFormatException(file + ": corrupt at tensor " + name);
        }
        float[] values = new float[n];
        in.asFloatBuffer().get(values);
        in.position(in.position() + 4 * n);
        tensors.put(name, values);
      }
    } catch (java.nio.BufferUnderflowException e) {
      throw new ModelFormatException(file + ": corrupt (ends inside a tensor)", e);
    }
    return tensors;
  }

  private static void force(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      if (!Files.isDirectory(path)) {
        throw e;
      }
      // Some file systems cannot sync a directory; the rename is still atomic.
    }
  }

  static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (var walk = Files.walk(path)) {
      for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }
}
