package dev.lenet.cli;

/** Something the user can fix: printed as one line, exit status 2, no stack trace. */
final class UserError extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message);
  }

  /** With the error behind it, kept for {@code --verbose}'s stack trace. */
  UserError(String message, Throwable cause) {
    super(message, cause);
  }
}
