package dev.lenet.api.train;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for crash tests: when the system property {@code lenet.crashAt} is {@code
 * POINT:N}, the JVM halts the N-th time it reaches {@code POINT}, at once, as a power cut or {@code
 * kill -9} would. Unset in normal use, where this costs one string comparison per checkpoint.
 */
final class CrashPoint {

  private static final String SPEC = System.getProperty("lenet.crashAt", "");
  private static final AtomicInteger HITS = new AtomicInteger();

  private CrashPoint() {}

  static void reached(String point) {
    int colon = SPEC.lastIndexOf(':');
    if (colon > 0 && SPEC.substring(0, colon).equals(point)) {
      if (HITS.incrementAndGet() == Integer.parseInt(SPEC.substring(colon + 1))) {
        Runtime.getRuntime().halt(137);
      }
    }
  }
}
