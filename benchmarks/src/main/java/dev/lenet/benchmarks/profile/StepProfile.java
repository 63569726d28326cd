package dev.lenet.benchmarks.profile;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a training step's time goes: {@code StepProfile [INTRA INTER]}. Traces 30 session calls and
 * prints, for every op type, the median time per step (a call's over the steps it runs), and for
 * the slowest nodes their median per call (medians, because this machine's neighbours stall single
 * steps). How to run it: docs/development.md.
 */
public final class StepProfile {
  private StepProfile() {}

  public static void main(String[] args) {
    try (StepHarness h = StepHarness.fromArgs(args, 0)) {
      profile(h);
    }
  }

  private static void profile(StepHarness h) {
    int perCall = h.stepsPerCall();
    for (int i = 0; i < 60; i++) {
      h.step(i);
    }
    long t = System.nanoTime();
    int calls = 100 / perCall;
    for (int i = 0; i < calls; i++) {
      h.step(i);
    }
    double ms = (System.nanoTime() - t) / 1e6 / (calls * perCall);
    System.out.printf("untraced: %.2f ms/step = %.0f examples/s%n", ms, 256 / ms * 1000);
    Map<String, List<Long>> byNode = new HashMap<>();
    Map<String, String> typeOf = new HashMap<>();
    int traced = 30;
    for (int i = 0; i < traced; i++) {
      var meta = h.tracedStep(i);
      for (var dev : meta.getStepStats().getDevStatsList()) {
        for (var node : dev.getNodeStatsList()) {
          String label = node.getTimelineLabel();
          String type =
              label.contains("= ") ? label.substring(label.indexOf("= ") + 2) : node.getNodeName();
          int paren = type.indexOf('(');
          if (paren > 0) {
            type = type.substring(0, paren);
          }
          typeOf.put(node.getNodeName(), type);
          byNode
              .computeIfAbsent(node.getNodeName(), k -> new ArrayList<>())
              .add(node.getAllEndRelMicros());
        }
      }
    }
    Map<String, Long> medians = new HashMap<>();
    byNode.forEach((node, times) -> medians.put(node, median(times)));
    Map<String, Long> byType = new TreeMap<>();
    medians.forEach((node, us) -> byType.merge(typeOf.get(node), us, Long::sum));
    byType.replaceAll((type, us) -> us / perCall);
    long all = byType.values().stream().mapToLong(Long::longValue).sum();
    System.out.println("by op type (sum of node medians), " + medians.size() + " nodes:");
    byType.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(20)
        .forEach(
            e ->
                System.out.printf(
                    "  %-40s %7.3f ms/step %5.1f%%%n",
                    e.getKey(), e.getValue() / 1000.0, 100.0 * e.getValue() / all));
    System.out.printf("sum of op times %.2f ms/step (both cores)%nslowest nodes:%n", all / 1000.0);
    medians.entrySet().stream()
        .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
        .limit(Integer.getInteger("nodes", 24))
        .forEach(
            e ->
                System.out.printf(
                    "  %-32s %-40s %6d us%n", e.getKey(), typeOf.get(e.getKey()), e.getValue()));
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }
}
