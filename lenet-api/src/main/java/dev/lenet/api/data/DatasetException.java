package dev.lenet.api.data;

/**
 * A data set that cannot be found, read or trusted. The message names the file (or the places
 * searched) and what was wrong with it; no partially loaded data escapes alongside it.
 */
public class DatasetException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DatasetException(String message) {
    super(message);
  }

  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
