package dev.lenet.serve;

import io.javalin.http.Context;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The bearer-token check, run before routing on every request: {@code /v1}, {@code /metrics} and
 * {@code /api} paths need {@code Authorization: Bearer <token>}; everything else ({@code /healthz},
 * the page and its static files) stays open. Tokens are compared in constant time and never written
 * into an answer.
 */
final class BearerAuth {

  /** Path prefixes that need the token (compared after decoding and folding case and slashes). */
  static final List<String> PROTECTED = List.of("/v1", "/metrics", "/api");

  private final byte[] tokenDigest;

  /** A check for {@code token}: visible ASCII, at least one character. */
  BearerAuth(String token) {
    this.tokenDigest = digest(token);
  }

  /** Whether a request to {@code path} needs the token. */
  static boolean isProtected(String path) {
    String p = canonical(path);
    for (String prefix : PROTECTED) {
      if (p.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The path as a router might read it: percent-decoded, repeated slashes folded, lower case. Over-
   * matching is safe here (an unknown path answers 404 either way); under-matching is not.
   */
  private static String canonical(String path) {
    String p = path;
    try {
      p = URLDecoder.decode(p.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      // a malformed escape: check the raw path, which the router will refuse anyway
    }
    return p.replaceAll("/{2,}", "/").toLowerCase(Locale.ROOT);
  }

  /**
   * Lets the request through, or throws 401 (with {@code WWW-Authenticate: Bearer}) if it needs a
   * token and has none or a wrong one.
   */
  void check(Context ctx) {
    if (!isProtected(ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    String problem;
    if (header == null || header.isBlank()) {
      problem = "this server requires a token: send the header \"Authorization: Bearer <token>\"";
    } else if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      problem =
          "the Authorization header must use the Bearer scheme: \"Authorization: Bearer <token>\"";
    } else if (!MessageDigest.isEqual(digest(header.substring(7).trim()), tokenDigest)) {
      problem = "the bearer token is wrong; send the token the server was started with";
    } else {
      return;
    }
    ctx.header("WWW-Authenticate", "Bearer");
    throw new ApiException(401, problem);
  }

  /**
   * SHA-256 of the token, so that the comparison takes the same time whatever the lengths and
   * contents.
   */
  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256, which every Java runtime must", e);
    }
  }

  /** Checks a token given to the builder; the message never contains the token. */
  static String validate(String token) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException("token must not be empty; leave it unset for no token");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        throw new IllegalArgumentException(
            "token must be visible ASCII characters (no spaces or line breaks); character "
                + i
                + " is not");
      }
    }
    return token;
  }
}
