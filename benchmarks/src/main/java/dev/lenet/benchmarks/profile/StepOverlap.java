package dev.lenet.benchmarks.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * How much of a training step has two ops running at once: {@code StepOverlap}. For 20 traced
 * session calls (each of the harness's steps per call, {@code --steps-per-call 1} for single steps)
 * prints the span from the first op's start to the last op's end, the time with at least one op
 * running, and with two or more. How to run it: docs/development.md.
 */
public final class StepOverlap {
  private StepOverlap() {}

  public static void main(String[] args) {
    try (StepHarness h = StepHarness.fromArgs(args, 0)) {
      for (int i = 0; i < 60; i++) {
        h.step(i);
      }
      for (int i = 0; i < 20; i++) {
        var meta = h.tracedStep(i);
        List<long[]> events = new ArrayList<>();
        for (var dev : meta.getStepStats().getDevStatsList()) {
          for (var node : dev.getNodeStatsList()) {
            long start = node.getAllStartMicros();
            events.add(new long[] {start, 1});
            events.add(new long[] {start + node.getAllEndRelMicros(), -1});
          }
        }
        events.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        long one = 0;
        long two = 0;
        int running = 0;
        long last = events.get(0)[0];
        for (long[] e : events) {
          long dt = e[0] - last;
          if (running >= 1) {
            one += dt;
          }
          if (running >= 2) {
            two += dt;
          }
          running += (int) e[1];
          last = e[0];
        }
        long span = events.get(events.size() - 1)[0] - events.get(0)[0];
        System.out.printf("span %5d us, >= 1 op %5d us, >= 2 ops %5d us%n", span, one, two);
      }
    }
  }
}
