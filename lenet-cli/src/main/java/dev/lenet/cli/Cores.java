package dev.lenet.cli;

import java.io.PrintWriter;
import java.util.Locale;

/** Thread counts against this machine's cores. */
final class Cores {

  private Cores() {}

  /**
   * {@code threads}, or this machine's cores if there are fewer, with a one-line warning on {@code
   * err} then: more threads than cores only wait for each other (1000 threads on two cores trained
   * 28 times slower). 0 (every core) passes unchanged. The trainer caps the same way; capping here
   * too makes the run's recorded config say what ran.
   *
   * @throws UserError for a negative count, in the flag's terms
   */
  static int capThreads(int threads, PrintWriter err) {
    if (threads < 0) {
      throw new UserError("--threads must be >= 0 (0 = every core), found " + threads);
    }
    int cores = Runtime.getRuntime().availableProcessors();
    if (threads <= cores) {
      return threads;
    }
    err.printf(
        Locale.ROOT,
        "lenet: warning: --threads %d is more than the %d cores of this machine; using %d%n",
        threads,
        cores,
        cores);
    err.flush();
    return cores;
  }
}
