package dev.lenet.tf;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training step's time goes, by op type: {@code StepProfile [INTRA INTER]}. Runs from the
 * test class path; see docs/benchmarks.md.
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) {
    try (StepHarness h = StepHarness.fromArgs(args, 0)) {
      profile(h);
    }
  }

  private static void profile(StepHarness h) {
    for (int i = 0; i < 60; i++) {
      h.step(i);
    }
    long t = System.nanoTime();
    int steps = 100;
    for (int i = 0; i < steps; i++) {
      h.step(i);
    }
    double ms = (System.nanoTime() - t) / 1e6 / steps;
    System.out.printf("untraced: %.2f ms/step = %.0f examples/s%n", ms, 256 / ms * 1000);
    Map<String, Long> byType = new TreeMap<>();
    long total = 0;
    int traced = 20;
    for (int i = 0; i < traced; i++) {
      var meta = h.graph.tracedStep(h.model.session, h.train, h.order, i * 256, 256);
      for (var dev : meta.getStepStats().getDevStatsList()) {
        for (var node : dev.getNodeStatsList()) {
          String label = node.getTimelineLabel();
          String type =
              label.contains("= ") ? label.substring(label.indexOf("= ") + 2) : node.getNodeName();
          int paren = type.indexOf('(');
          if (paren > 0) {
            type = type.substring(0, paren);
          }
          long us = node.getAllEndRelMicros();
          if (i == 5
              && (type.contains("Conv")
                  || type.contains("Pool")
                  || type.contains("MatMul")
                  || type.contains("Sigmoid"))) {
            System.out.println("  node " + node.getNodeName() + " " + type + " " + us + "us");
          }
          byType.merge(type, us, Long::sum);
          total += us;
        }
      }
    }
    long all = total;
    byType.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(25)
        .forEach(
            e ->
                System.out.printf(
                    "%-40s %8.3f ms/step %5.1f%%%n",
                    e.getKey(), e.getValue() / 1000.0 / traced, 100.0 * e.getValue() / all));
    System.out.printf("sum of op times %.2f ms/step%n", all / 1000.0 / traced);
  }
}
