package dev.lenet.api.train;

import java.util.List;

/**
 * How a backend runs a training run, resolved once before the first step from the config and the
 * backend's options: what a run report should name beside its metrics.
 *
 * @param device the device used (never {@code auto})
 * @param towers parts each batch is split into, computed side by side and summed into one update
 * @param intraOpThreads threads per operation (0: the backend's default)
 * @param interOpThreads operations run side by side (0: the backend's default)
 * @param fastPaths the backend's fast paths in use, one line each (empty if none)
 * @param setup how long getting ready took
 */
public record ExecutionPlan(
    Device device,
    int towers,
    int intraOpThreads,
    int interOpThreads,
    List<String> fastPaths,
    Setup setup) {

  public ExecutionPlan {
    fastPaths = List.copyOf(fastPaths);
  }

  /**
   * Seconds spent before training: building the graph, starting the session and setting the first
   * weights, and a warm-up step (whose weight changes are undone).
   */
  public record Setup(double graphSeconds, double sessionSeconds, double warmUpSeconds) {

    /** No set-up measured. */
    public static final Setup NONE = new Setup(0, 0, 0);
  }
}
