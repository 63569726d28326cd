package dev.lenet.api.io;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

/**
 * Why the file system refused, in words for a message: Java's file exceptions often carry only a
 * path ({@code NoSuchFileException: /proc/.cache}) and keep the reason in their class. One
 * implementation for the library's messages and the command line's.
 */
public final class FileErrors {

  private FileErrors() {}

  /**
   * The reason for {@code e}: {@code "no such file or directory"}, {@code "permission denied"}, the
   * operating system's reason in lower case ({@code "not a directory"}, {@code "read-only file
   * system"}, {@code "is a directory"}), else the exception's message or class name.
   */
  public static String reason(IOException e) {
    if (e instanceof NoSuchFileException) {
      return "no such file or directory";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " already exists";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return lowerFirst(f.getReason());
    }
    String message = e.getMessage();
    return message == null || message.isBlank()
        ? e.getClass().getSimpleName()
        : lowerFirst(message.strip());
  }

  /**
   * The reason {@code Files.createDirectories} failed with {@code e}: as {@link #reason}, but a
   * file in the way reads {@code "<file> exists and is not a directory"}, and a missing file {@code
   * "no such file or directory (or it cannot be created there)"} (as under {@code /proc}).
   */
  public static String creatingDirectory(IOException e) {
    if (e instanceof FileAlreadyExistsException f) {
      return f.getFile() + " exists and is not a directory";
    }
    if (e instanceof NoSuchFileException) {
      return "no such file or directory (or it cannot be created there)";
    }
    return reason(e);
  }

  /** "Not a directory" as "not a directory"; "HTTP 404" unchanged. */
  private static String lowerFirst(String s) {
    if (s.length() > 1
        && Character.isUpperCase(s.charAt(0))
        && Character.isLowerCase(s.charAt(1))) {
      return s.substring(0, 1).toLowerCase(Locale.ROOT) + s.substring(1);
    }
    return s;
  }
}
