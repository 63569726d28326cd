package dev.lenet.serve;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/** A request's body read whole, never past the server's limit. */
final class RequestBody {

  private RequestBody() {}

  /**
   * The body of {@code ctx}: 413 when its declared length or its bytes exceed {@code limit} (the
   * message ends with {@code advice}), 400 with {@code whenEmpty} when it has none.
   */
  static byte[] read(Context ctx, long limit, String advice, String whenEmpty) throws IOException {
    long declared = ctx.contentLength();
    if (declared > limit) {
      throw ApiException.tooLarge(declared, limit, advice);
    }
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
}
