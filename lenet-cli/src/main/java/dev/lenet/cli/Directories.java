package dev.lenet.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

  /** Why the file system refused, in words (Java's exceptions often carry only a path). */
  static String reason(IOException e) {
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a directory";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory (or it cannot be created there)";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason().toLowerCase(java.util.Locale.ROOT);
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
