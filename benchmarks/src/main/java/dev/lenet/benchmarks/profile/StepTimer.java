package dev.lenet.benchmarks.profile;

import java.util.Arrays;

/**
 * Milliseconds per training step of the book's LeNet, for A/B runs: {@code StepTimer [STEPS] [INTRA
 * INTER]} (threads default to the trainer's). It warms up for {@value #WARM_UP} steps first: the
 * JIT compiles the batch-copying code around steps 250-400, which costs a few ms per step while it
 * runs. It prints the median step (which a neighbour's stalls hardly move), the mean, and the tenth
 * percentile (what a quiet machine gives), each a session call's time over the steps it runs.
 */
public final class StepTimer {

  static final int WARM_UP = 450;

  private StepTimer() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    try (StepHarness h = StepHarness.fromArgs(args, 1)) {
      int k = h.stepsPerCall();
      for (int i = 0; i < WARM_UP / k; i++) {
        h.step(i);
      }
      double[] ms = new double[Math.max(1, steps / k)];
      for (int i = 0; i < ms.length; i++) {
        long t = System.nanoTime();
        h.step(i);
        ms[i] = (System.nanoTime() - t) / 1e6 / k;
      }
      double mean = Arrays.stream(ms).average().orElseThrow();
      Arrays.sort(ms);
      double median = ms[ms.length / 2];
      System.out.printf(
          "%.2f ms/step median (%.0f examples/s), %.2f mean, %.2f tenth percentile%n",
          median, 256 / median * 1000, mean, ms[ms.length / 10]);
    }
  }
}
