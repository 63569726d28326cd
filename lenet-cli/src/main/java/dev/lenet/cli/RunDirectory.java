package dev.lenet.cli;

import dev.lenet.api.io.FileErrors;
import dev.lenet.api.train.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A run directory of {@code lenet train}: which one, whether a new run may use it, its lock, and
 * what to say when it cannot be resumed. What it holds is written by {@link RunRecorder}, {@code
 * TfTensorBoard}, the trainer's checkpoints and the saved model.
 */
final class RunDirectory {

  /** Checkpoints, one {@code epoch-NNNN} directory each. */
  static final String CHECKPOINTS = "checkpoints";

  /** TensorBoard event files, one per run or resumption, as {@code TfTensorBoard} writes them. */
  static final String TENSORBOARD = "tensorboard";

  /** The trained model, as {@code TfModel.save} writes it. */
  static final String MODEL = "model";

  private RunDirectory() {}

  /** The run directory {@code --out} names, or {@code runs/<timestamp>}; not yet created. */
  static Path choose(Path out) {
    Directories.requireNotEmpty(out, "--out", "the run directory to create");
    Path dir =
        out != null
            ? out
            : Path.of(
                "runs",
                LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss")));
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new UserError(dir + " is a file; --out needs a directory");
    }
    return dir;
  }

  /**
   * The names a run writes in its directory (and their {@code .tmp} files while they are
   * rewritten): a directory holding anything else is someone else's, not a run to write into.
   */
  private static final Set<String> RUN_FILES =
      Set.of(
          DirectoryLock.FILE,
          CHECKPOINTS,
          MODEL,
          RunRecorder.METRICS_JSON,
          RunRecorder.METRICS_CSV,
          RunRecorder.CURVES_PNG,
          TENSORBOARD);

  /**
   * Refuses an existing directory that holds files a run does not write ({@code --out .}, a home
   * directory): the run would mix its files with them. An empty directory, or one holding only what
   * a run killed before its first epoch leaves ({@code .lock}, {@code checkpoints/}), is fine.
   */
  private static void requireOnlyRunFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    Optional<String> other;
    try (Stream<Path> entries = Files.list(dir)) {
      other =
          entries
              .map(p -> p.getFileName().toString())
              .filter(
                  n -> !RUN_FILES.contains(n.endsWith(".tmp") ? n.substring(0, n.length() - 4) : n))
              .sorted()
              .findFirst();
    } catch (IOException e) {
      throw new UserError("cannot read " + dir + ": " + FileErrors.reason(e));
    }
    if (other.isPresent()) {
      throw new UserError(
          dir
              + " is not empty and holds no run (it has "
              + other.get()
              + "); choose a new or empty directory for --out");
    }
  }

  static void requireNoRun(Path dir) {
    if (Files.exists(dir.resolve(RunRecorder.METRICS_JSON))) {
      throw new UserError(dir + " already holds a run (metrics.json); choose another --out");
    }
  }

  /** Refuses a directory that holds a run or files that are not a run's. */
  static void requireFresh(Path dir) {
    requireNoRun(dir);
    requireOnlyRunFiles(dir);
  }

  /**
   * Takes the run directory for this process, for the whole run; the kernel releases it when the
   * process ends, however it ends.
   */
  static DirectoryLock lock(Path dir) {
    try {
      return DirectoryLock.acquire(dir);
    } catch (IOException e) {
      Path file = dir.resolve(DirectoryLock.FILE);
      throw new UserError(
          "cannot lock "
              + dir
              + " through its lock file "
              + file
              + ": "
              + FileErrors.reason(e)
              + (Files.isDirectory(file)
                  ? "; it must be a file: remove that directory or use another run directory"
                  : ""),
          e);
    }
  }

  /** Why {@code dir} cannot be resumed when it has no checkpoint, and what to do instead. */
  static UserError noCheckpoint(Path dir, Path checkpointDir) {
    return new UserError(
        dir
            + " has no checkpoint to resume from (looked in "
            + checkpointDir
            + "): "
            + (Files.exists(dir.resolve(RunRecorder.METRICS_JSON))
                ? "it ran with --checkpoint-every 0 or stopped before its first"
                    + " checkpoint; train it again with another --out"
                : "it stopped before its first checkpoint; start it again with 'lenet"
                    + " train --out "
                    + dir
                    + "' and its options"));
  }

  /**
   * Removes what a run that failed before its first epoch wrote into the directory it created (its
   * lock files and empty checkpoint directory, nothing else), then the directories it created (see
   * {@link Directories#removeCreated}). Called while the run still holds its lock, so no other run
   * can be using these files.
   */
  static void removeFailed(Path dir, Path made) {
    if (made == null) {
      return;
    }
    Path checkpoints = dir.resolve(CHECKPOINTS);
    try {
      if (!holdsOnly(dir, Set.of(DirectoryLock.FILE, CHECKPOINTS))
          || (Files.isDirectory(checkpoints)
              && !holdsOnly(checkpoints, Set.of(DirectoryLock.FILE)))) {
        return; // a checkpoint, metrics or a model: the run got further; keep it all
      }
      Files.deleteIfExists(checkpoints.resolve(DirectoryLock.FILE));
      Files.deleteIfExists(checkpoints);
      Files.deleteIfExists(dir.resolve(DirectoryLock.FILE));
    } catch (IOException e) {
      return; // best effort: keep what could not be removed
    }
    Directories.removeCreated(dir, made);
  }

  /** Whether every entry of {@code dir} has one of {@code names}. */
  private static boolean holdsOnly(Path dir, Set<String> names) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.allMatch(p -> names.contains(p.getFileName().toString()));
    }
  }
}
