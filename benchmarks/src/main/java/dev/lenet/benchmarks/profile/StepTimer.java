package dev.lenet.benchmarks.profile;

import java.util.Arrays;

/**
 * Milliseconds per training step of the book's LeNet, for A/B runs: {@code StepTimer [STEPS] [INTRA
 * INTER]} (threads default to the trainer's). It warms up for {@value #WARM_UP} steps first: the
 * JIT compiles the batch-copying code around steps 250-400, which costs a few ms per step while it
 * runs. It prints the median step (which a neighbour's stalls hardly move) and the mean.
 */
public final class StepTimer {

  static final int WARM_UP = 450;

  private StepTimer() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    try (StepHarness h = StepHarness.fromArgs(args, 1)) {
      for (int i = 0; i < WARM_UP; i++) {
        h.step(i);
      }
      double[] ms = new double[steps];
      for (int i = 0; i < steps; i++) {
        long t = System.nanoTime();
        h.step(i);
        ms[i] = (System.nanoTime() - t) / 1e6;
      }
      double mean = Arrays.stream(ms).average().orElseThrow();
      Arrays.sort(ms);
      double median = ms[steps / 2];
      System.out.printf(
          "%.2f ms/step median (%.0f examples/s), %.2f mean%n", median, 256 / median * 1000, mean);
    }
  }
}
