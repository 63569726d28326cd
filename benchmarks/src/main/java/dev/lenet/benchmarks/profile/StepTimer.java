package dev.lenet.benchmarks.profile;

/**
 * Milliseconds per training step of the book's LeNet, for A/B runs: {@code StepTimer [STEPS] [INTRA
 * INTER]} (threads default to the trainer's).
 */
public final class StepTimer {
  private StepTimer() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    try (StepHarness h = StepHarness.fromArgs(args, 1)) {
      for (int i = 0; i < 40; i++) {
        h.step(i);
      }
      long t = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        h.step(i);
      }
      double ms = (System.nanoTime() - t) / 1e6 / steps;
      System.out.printf("%.2f ms/step %.0f examples/s%n", ms, 256 / ms * 1000);
    }
  }
}
