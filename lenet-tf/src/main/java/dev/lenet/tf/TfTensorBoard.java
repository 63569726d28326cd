package dev.lenet.tf;

import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingListener;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.proto.Summary;

/**
 * A training listener that writes TensorBoard event files: per epoch the scalars {@value #LOSS},
 * {@value #TRAIN_ACC}, {@value #TEST_ACC} and {@value #EXAMPLES_PER_SEC}, with the epoch (1-based)
 * as the step. Point {@code tensorboard --logdir} at the directory given here.
 *
 * <p>The file is TensorFlow's event-file format: TFRecord framing (little-endian length, masked
 * CRC32C of the length, the record, masked CRC32C of the record) around {@code Event} protos, the
 * first one naming the file version {@value #FILE_VERSION}. Only TensorFlow Java's protobuf classes
 * are used: writing opens no TensorFlow session and loads no native library, so it does not change
 * how TensorFlow sizes its thread pools for training.
 *
 * <p>Each listener writes one new file, {@code events.out.tfevents.<unix seconds>.<host>}, created
 * when the first epoch finishes; the file is opened, appended to and closed for each epoch, so a
 * stopped run keeps every finished epoch. Each file starts with a session start at its first step,
 * which tells TensorBoard to drop what earlier files in the directory recorded from that step on. A
 * resumed run gets a listener of its own ({@link #resuming}) and so a file of its own.
 */
public final class TfTensorBoard implements TrainingListener {

  /** The tag of the mean training loss of an epoch. */
  public static final String LOSS = "loss";

  /** The tag of the training accuracy of an epoch, in [0, 1]. */
  public static final String TRAIN_ACC = "train_acc";

  /** The tag of the test accuracy after an epoch, in [0, 1]. */
  public static final String TEST_ACC = "test_acc";

  /** The tag of an epoch's training throughput, in examples per second. */
  public static final String EXAMPLES_PER_SEC = "examples_per_sec";

  /** The file version TensorBoard expects in an event file's first record. */
  public static final String FILE_VERSION = "brain.Event:2";

  /** What every event file's name starts with. */
  public static final String FILE_PREFIX = "events.out.tfevents.";

  private static final int MASK_DELTA = 0xa282ead8;

  private final Path dir;
  private final List<EpochMetrics> previous;
  private Path file;

  /** A listener that writes its event file into {@code dir}, creating the directory if needed. */
  public TfTensorBoard(Path dir) {
    this(dir, List.of());
  }

  private TfTensorBoard(Path dir, List<EpochMetrics> previous) {
    this.dir = dir;
    this.previous = List.copyOf(previous);
  }

  /**
   * A listener for a resumed run whose checkpoint holds {@code previous}, the epochs before it. Its
   * file starts with those epochs again (their wall time is the time of writing), after a session
   * start at the first of them: the earlier files may lack epochs the checkpoint has (a run stopped
   * between its checkpoint and its listeners) or have epochs past it (run again now).
   */
  public static TfTensorBoard resuming(Path dir, List<EpochMetrics> previous) {
    return new TfTensorBoard(dir, previous);
  }

  /** The event file this listener writes; empty before the first epoch has finished. */
  public java.util.Optional<Path> file() {
    return java.util.Optional.ofNullable(file);
  }

  /**
   * Writes the epoch's scalars; the first call creates the directory and the event file, so a run
   * that fails before its first epoch leaves nothing behind.
   */
  @Override
  public void onEpoch(EpochMetrics m) {
    double wallTime = now();
    try {
      if (file == null) {
        Files.createDirectories(dir);
        file = newFile(dir, (long) wallTime, host());
        write(Event.newBuilder().setWallTime(wallTime).setFileVersion(FILE_VERSION).build());
        long start = previous.isEmpty() ? m.epoch() : previous.get(0).epoch();
        write(
            Event.newBuilder()
                .setWallTime(wallTime)
                .setStep(start)
                .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START))
                .build());
        for (EpochMetrics p : previous) {
          write(scalars(p, wallTime));
        }
      }
      write(scalars(m, wallTime));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write TensorBoard events " + (file == null ? "in " + dir : "to " + file), e);
    }
  }

  private static Event scalars(EpochMetrics m, double wallTime) {
    return Event.newBuilder()
        .setWallTime(wallTime)
        .setStep(m.epoch())
        .setSummary(
            Summary.newBuilder()
                .addValue(scalar(LOSS, m.trainLoss()))
                .addValue(scalar(TRAIN_ACC, m.trainAccuracy()))
                .addValue(scalar(TEST_ACC, m.testAccuracy()))
                .addValue(scalar(EXAMPLES_PER_SEC, m.examplesPerSecond())))
        .build();
  }

  private static Summary.Value scalar(String tag, double value) {
    return Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value).build();
  }

  private void write(Event event) throws IOException {
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      out.write(record(event.toByteArray()));
    }
  }

  /** {@code data} in TFRecord framing. */
  static byte[] record(byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    b.putInt(maskedCrc32c(b.array(), 0, 8));
    b.put(data);
    b.putInt(maskedCrc32c(data, 0, data.length));
    return b.array();
  }

  /** The CRC32C of the bytes, masked as TFRecord files store it. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  /**
   * A new, empty file named as TensorFlow names event files; when a file of that name exists (a
   * resume within the same second), a counter is added rather than writing into it.
   */
  private static Path newFile(Path dir, long seconds, String host) throws IOException {
    String name = FILE_PREFIX + seconds + "." + host;
    for (int n = 0; ; n++) {
      Path candidate = dir.resolve(n == 0 ? name : name + "." + n);
      try {
        return Files.createFile(candidate);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        // try the next name
      }
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }
}
