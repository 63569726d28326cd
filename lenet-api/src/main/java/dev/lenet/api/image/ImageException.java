package dev.lenet.api.image;

/**
 * An image that cannot be read into a model's input: a missing file, a format or colour type the
 * reader does not take, a damaged file, or one over the reader's pixel limit. The message names the
 * file and what was wrong; the cause, if any, is the decoder's own error.
 */
public class ImageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ImageException(String message) {
    super(message);
  }

  public ImageException(String message, Throwable cause) {
    super(message, cause);
  }
}
