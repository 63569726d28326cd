package dev.lenet.benchmarks.profile;

/**
 * What the warm-up leaves for training to pay: {@code FirstSteps [INTRA INTER]} times the warm-up,
 * the first session calls after it one by one (each of the harness's steps per call), and a short
 * last batch (96 examples, as in Fashion-MNIST's last batch of 256). How to run it:
 * docs/development.md.
 */
public final class FirstSteps {
  private FirstSteps() {}

  public static void main(String[] args) {
    try (StepHarness h = StepHarness.fromArgs(args, 0)) {
      long t = System.nanoTime();
      h.graph.warmUp(h.model.session(), h.model.network(), h.train, 256);
      System.out.printf("warm-up %.1f ms%n", (System.nanoTime() - t) / 1e6);
      for (int i = 0; i < 8; i++) {
        t = System.nanoTime();
        h.step(i);
        System.out.printf(
            "call %d (%d steps) %.1f ms%n", i, h.stepsPerCall(), (System.nanoTime() - t) / 1e6);
      }
      for (int i = 0; i < 3; i++) {
        t = System.nanoTime();
        h.graph.step(h.model.session(), h.train, h.order, 0, 96, 0);
        System.out.printf("step of 96: %.1f ms%n", (System.nanoTime() - t) / 1e6);
      }
    }
  }
}
