package dev.lenet.cli;

import dev.lenet.api.io.FileErrors;
import dev.lenet.api.train.DirectoryLock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Creating the directories the user names with {@code --out}, with a one-line error. */
final class Directories {

  private Directories() {}

  /**
   * Creates {@code dir} and its parents.
   *
   * @throws UserError {@code cannot create <dir>: <reason>} if the file system refuses
   */
  static Path create(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UserError("cannot create " + dir + ": " + reason(e));
    }
  }

  /**
   * Refuses an empty path given to {@code option}: {@code --out "$RUN"} with {@code RUN} unset
   * would otherwise mean the current directory.
   *
   * @throws UserError {@code <option> is empty (an unset shell variable?); give <what>}
   */
  static void requireNotEmpty(Path dir, String option, String what) {
    if (dir != null && dir.toString().isBlank()) {
      throw new UserError(option + " is empty (an unset shell variable?); give " + what);
    }
  }

  /**
   * The outermost of {@code dir} and its ancestors that does not exist yet: the directory {@link
   * #create} would make first, and the one to hand to {@link #removeIfOnlyLocks} if the command
   * then fails; null if {@code dir} exists.
   */
  static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /**
   * Removes {@code dir} if it holds nothing but lock files (in it or in empty subdirectories): what
   * a run that failed before its first epoch leaves (nothing for null). Best effort; anything else
   * is left alone.
   */
  static void removeIfOnlyLocks(Path dir) {
    if (dir == null) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(dir)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    } catch (IOException | UncheckedIOException e) {
      return;
    }
    for (Path p : all) {
      if (!Files.isDirectory(p) && !p.getFileName().toString().equals(DirectoryLock.FILE)) {
        return;
      }
    }
    try {
      for (Path p : all) {
        Files.delete(p);
      }
    } catch (IOException e) {
      // Someone else wrote there meanwhile: leave it.
    }
  }

  /** Why the file system refused to create a directory, in words (see {@link FileErrors}). */
  static String reason(IOException e) {
    return FileErrors.creatingDirectory(e);
  }
}
