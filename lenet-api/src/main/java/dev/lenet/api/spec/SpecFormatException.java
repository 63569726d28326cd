package dev.lenet.api.spec;

/**
 * A spec document (JSON) that cannot be read: malformed, an unknown or missing field, or a spec
 * that fails validation. The message says where: the file if any, line, column and field path.
 */
public final class SpecFormatException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public SpecFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
