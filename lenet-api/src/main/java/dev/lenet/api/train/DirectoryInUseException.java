package dev.lenet.api.train;

import java.nio.file.Path;

/**
 * A directory that a run writes to (a run or checkpoint directory) is held by another run, in this
 * process or another one. The message names the directory and, when known, the holder's process.
 */
public class DirectoryInUseException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Path directory;

  public DirectoryInUseException(Path directory, String message) {
    super(message);
    this.directory = directory;
  }

  /** The directory that is in use. */
  public Path directory() {
    return directory;
  }
}
