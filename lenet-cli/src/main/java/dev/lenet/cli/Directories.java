package dev.lenet.cli;

import dev.lenet.api.io.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
   * #create} would make first, and the one to hand to {@link #removeCreated} if the command then
   * fails; null if {@code dir} exists.
   */
  static Path firstMissing(Path dir) {
    Path missing = null;
    for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
      missing = p;
    }
    return missing;
  }

  /**
   * Undoes the directories a failed command created: {@code dir}, then each parent up to {@code
   * made} (from {@link #firstMissing}), each only while it is empty. It never walks a tree or
   * deletes a file: anything in them, such as another run's directory under a parent both runs
   * created, stops the removal there. Nothing when {@code made} is null (it all existed before).
   * Best effort: a failure leaves the rest.
   */
  static void removeCreated(Path dir, Path made) {
    if (made == null) {
      return;
    }
    Path stop = made.toAbsolutePath();
    Path from = dir.toAbsolutePath();
    if (!from.startsWith(stop)) {
      return;
    }
    try {
      for (Path p = from; p != null; p = p.getParent()) {
        Files.delete(p); // refuses a directory that is not empty
        if (p.equals(stop)) {
          return;
        }
      }
    } catch (IOException e) {
      // Not empty (someone else's files), or gone already: leave it.
    }
  }

  /** Why the file system refused to create a directory, in words (see {@link FileErrors}). */
  static String reason(IOException e) {
    return FileErrors.creatingDirectory(e);
  }
}
