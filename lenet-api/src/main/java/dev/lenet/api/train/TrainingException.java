package dev.lenet.api.train;

/**
 * Training or inference failed inside a backend (a diverging loss, a missing device, a native
 * error). The message says what happened and what the caller can do about it.
 */
public class TrainingException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public TrainingException(String message) {
    super(message);
  }

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }
}
