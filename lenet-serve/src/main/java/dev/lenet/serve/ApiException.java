package dev.lenet.serve;

/** A request that fails with an HTTP status and a message for the client, as {@code {"error"}}. */
final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  /** 400: the request is malformed or its values are not what the signature takes. */
  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  /** 404: no such model, version or path. */
  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  /**
   * 413: a body over {@code limit} bytes ({@code declared} by its Content-Length, or -1 when found
   * while reading); {@code advice} says what to send instead.
   */
  static ApiException tooLarge(long declared, long limit, String advice) {
    return new ApiException(
        413,
        "the request body "
            + (declared >= 0 ? "of " + declared + " bytes " : "")
            + "is larger than the limit of "
            + limit
            + " bytes; "
            + advice);
  }

  int status() {
    return status;
  }
}
