package dev.lenet.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** A request's body read whole, never past the server's limit. */
final class RequestBody {

  private RequestBody() {}

  /**
   * The most bytes of a request body the server reads and drops before an error answer ({@link
   * #drain}).
   */
  static final long DRAIN_BYTES = 8L << 20;

  /**
   * The body of {@code ctx}: 413 when its declared length or its bytes exceed {@code limit} (the
   * message ends with {@code advice}), 400 with {@code whenEmpty} when it has none.
   */
  static byte[] read(Context ctx, long limit, String advice, String whenEmpty) throws IOException {
    refuseDeclaredOverLimit(ctx, limit, advice);
    byte[] bytes;
    try (InputStream in = ctx.bodyInputStream()) {
      bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
    }
    if (bytes.length > limit) {
      throw ApiException.tooLarge(-1, limit, advice);
    }
    if (bytes.length == 0) {
      throw ApiException.badRequest(whenEmpty);
    }
    return bytes;
  }

  /**
   * 413 (the message ends with {@code advice}) when the body's declared length exceeds {@code
   * limit}, before any of it is read.
   */
  static void refuseDeclaredOverLimit(Context ctx, long limit, String advice) {
    long declared = ctx.contentLength();
    if (declared > limit) {
      throw ApiException.tooLarge(declared, limit, advice);
    }
  }

  /**
   * Reads and drops what is left of the body of {@code ctx}, if it declares at most {@link
   * #DRAIN_BYTES} (or no length), before an error answer: an answer sent while the client is still
   * sending makes the server close the connection, and a client may then lose the answer or find
   * its next request on a closed connection (Java's HttpClient: "header parser received no bytes").
   * A body already read, or too large, is left as it is.
   */
  static void drain(Context ctx) {
    if (ctx.contentLength() > DRAIN_BYTES) {
      return;
    }
    try (InputStream in = ctx.bodyInputStream()) {
      long left = DRAIN_BYTES;
      byte[] buffer = new byte[8192];
      int n;
      while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException | RuntimeException e) {
      // Not readable (read as a form already, or the client went away): the connection closes.
    }
  }
}
