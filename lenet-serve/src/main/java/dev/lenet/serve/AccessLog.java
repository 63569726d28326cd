package dev.lenet.serve;

import java.util.function.Consumer;
import org.eclipse.jetty.server.CustomRequestLog;
import org.eclipse.jetty.server.RequestLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per request, written by Jetty when the request completes, in the Common Log Format with
 * the time taken appended in milliseconds:
 *
 * <pre>
 * 127.0.0.1 - - [02/Dec/2026:03:04:05 +0000] "POST /v1/models/fashion:predict HTTP/1.1" 200 431 12
 * </pre>
 *
 * <p>(client address, user (always {@code -}), time, request line, status, body bytes sent ({@code
 * -} for none), milliseconds).
 */
final class AccessLog {

  /** The SLF4J logger the lines go to at INFO unless the builder names another consumer. */
  static final String LOGGER = "dev.lenet.serve.access";

  /** Jetty's format string for the line above. */
  static final String FORMAT = "%{client}a - %u %t \"%r\" %s %{CLF}O %{ms}T";

  private AccessLog() {}

  /** The default consumer: {@value #LOGGER} at INFO. */
  static Consumer<String> slf4j() {
    Logger log = LoggerFactory.getLogger(LOGGER);
    return log::info;
  }

  /** A Jetty request log handing each line to {@code lines}. */
  static RequestLog to(Consumer<String> lines) {
    RequestLog.Writer writer = lines::accept;
    return new CustomRequestLog(writer, FORMAT);
  }
}
