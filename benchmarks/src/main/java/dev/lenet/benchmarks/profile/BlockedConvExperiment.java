package dev.lenet.benchmarks.profile;

import dev.lenet.api.train.Device;
import dev.lenet.tf.runtime.TfDevices;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv2dBackpropFilter;
import org.tensorflow.op.nn.Conv2dBackpropInput;

/**
 * Convolutions of one tower on one thread, plain against space-to-depth shapes: {@code
 * BlockedConvExperiment [BATCH] [--bf16]} (batch 128, float32 unless given).
 */
@SuppressWarnings({"unchecked", "rawtypes"})
public final class BlockedConvExperiment {
  private BlockedConvExperiment() {}

  private static final List<Long> ONE = List.of(1L, 1L, 1L, 1L);

  record Case(String name, Operand<?> op) {}

  static List<Case> conv(Ops tf, String name, long[] x, long[] w, String fmt, boolean bf16) {
    boolean nchw = fmt.equals("NCHW");
    long n = x[0];
    long h = nchw ? x[2] : x[1];
    long c = nchw ? x[1] : x[3];
    long oh = h - w[0] + 1;
    long[] y = nchw ? new long[] {n, w[3], oh, oh} : new long[] {n, oh, oh, w[3]};
    Operand<?> xv = bf16 ? MatMulExperiment.bf16(tf, x) : ConvExperiment.var(tf, x);
    Operand<?> wv = bf16 ? MatMulExperiment.bf16(tf, w) : ConvExperiment.var(tf, w);
    Operand<?> dy = bf16 ? MatMulExperiment.bf16(tf, y) : ConvExperiment.var(tf, y);
    int[] xs = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      xs[i] = (int) x[i];
    }
    int[] ws = {(int) w[0], (int) w[1], (int) w[2], (int) w[3]};
    List<Case> out = new ArrayList<>();
    out.add(
        new Case(
            name + " fwd " + fmt,
            tf.nn.conv2d((Operand) xv, (Operand) wv, ONE, "VALID", Conv2d.dataFormat(fmt))));
    out.add(
        new Case(
            name + " dx " + fmt,
            tf.nn.conv2dBackpropInput(
                tf.constant(xs),
                (Operand) wv,
                (Operand) dy,
                ONE,
                "VALID",
                Conv2dBackpropInput.dataFormat(fmt))));
    out.add(
        new Case(
            name + " dW " + fmt,
            tf.nn.conv2dBackpropFilter(
                (Operand) xv,
                tf.constant(ws),
                (Operand) dy,
                ONE,
                "VALID",
                Conv2dBackpropFilter.dataFormat(fmt))));
    long flops = 2 * n * oh * oh * w[0] * w[1] * w[2] * w[3];
    System.out.printf("%s: %.1f MFLOP per pass, c=%d%n", name, flops / 1e6, c);
    return out;
  }

  public static void main(String[] args) {
    List<String> given = List.of(args);
    boolean bf16 = given.contains("--bf16");
    long b =
        given.stream()
            .filter(a -> !a.startsWith("--"))
            .findFirst()
            .map(Long::parseLong)
            .orElse(128L);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Case> cases = new ArrayList<>();
      cases.addAll(
          conv(tf, "conv1", new long[] {b, 32, 32, 1}, new long[] {5, 5, 1, 6}, "NHWC", bf16));
      cases.addAll(
          conv(
              tf, "conv1 s2d4", new long[] {b, 8, 8, 16}, new long[] {2, 2, 16, 96}, "NHWC", bf16));
      cases.addAll(
          conv(
              tf, "conv1 s2d2", new long[] {b, 16, 16, 4}, new long[] {3, 3, 4, 24}, "NHWC", bf16));
      cases.addAll(
          conv(tf, "conv2", new long[] {b, 14, 14, 6}, new long[] {5, 5, 6, 16}, "NHWC", bf16));
      cases.addAll(
          conv(tf, "conv2", new long[] {b, 6, 14, 14}, new long[] {5, 5, 6, 16}, "NCHW", bf16));
      cases.addAll(
          conv(
              tf, "conv2 s2d2", new long[] {b, 7, 7, 24}, new long[] {3, 3, 24, 64}, "NHWC", bf16));
      cases.addAll(
          conv(
              tf, "conv2 s2d2", new long[] {b, 24, 7, 7}, new long[] {3, 3, 24, 64}, "NCHW", bf16));
      try (Session s = new Session(g, TfDevices.config(Device.CPU, 1, 1))) {
        for (Case c : cases) {
          ConvExperiment.time(c.name(), s, c.op());
        }
      }
    }
  }
}
