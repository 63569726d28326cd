package dev.lenet.api.train;

/**
 * A saved model that cannot be loaded: a missing file, a spec that does not match the stored
 * weights, a format from a newer version. The message names the directory and what is wrong.
 */
public class ModelFormatException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
