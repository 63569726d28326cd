package dev.lenet.benchmarks.profile;

import dev.lenet.api.train.Device;
import dev.lenet.tf.runtime.TfDevices;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2dBackpropFilter;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.types.TFloat32;

public final class ConvExperiment {
  private ConvExperiment() {}

  static Operand<TFloat32> var(Ops tf, long... dims) {
    return tf.variable(tf.random.randomUniform(tf.constant(dims), TFloat32.class));
  }

  static void time(String name, Session s, Operand<?> out) {
    // reduce to a scalar so fetching costs nothing
    for (int i = 0; i < 20; i++) {
      s.runner().addTarget(out).run().close();
    }
    long t = System.nanoTime();
    int n = 100;
    for (int i = 0; i < n; i++) {
      s.runner().addTarget(out).run().close();
    }
    System.out.printf("%-45s %.3f ms%n", name, (System.nanoTime() - t) / 1e6 / n);
  }

  public static void main(String[] args) {
    long b = 256;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<Long> one = List.of(1L, 1L, 1L, 1L);
      var x = var(tf, b, 14, 14, 6);
      var w = var(tf, 5, 5, 6, 16);
      var dy = var(tf, b, 10, 10, 16);
      var x1 = var(tf, b, 32, 32, 1);
      var w1 = var(tf, 5, 5, 1, 6);
      var dy1 = var(tf, b, 28, 28, 6);
      var xNchw = var(tf, b, 6, 14, 14);
      var dyNchw = var(tf, b, 16, 10, 10);
      var x1Nchw = var(tf, b, 1, 32, 32);
      var ops =
          new Object[][] {
            {"conv2 fwd NHWC", tf.nn.conv2d(x, w, one, "VALID")},
            {
              "conv2 fwd NCHW",
              tf.nn.conv2d(xNchw, w, one, "VALID", org.tensorflow.op.nn.Conv2d.dataFormat("NCHW"))
            },
            {
              "conv2 dx NHWC",
              tf.nn.conv2dBackpropInput(
                  tf.constant(new int[] {(int) b, 14, 14, 6}), w, dy, one, "VALID")
            },
            {
              "conv2 dx NCHW",
              tf.nn.conv2dBackpropInput(
                  tf.constant(new int[] {(int) b, 6, 14, 14}),
                  w,
                  dyNchw,
                  one,
                  "VALID",
                  Conv2dBackpropInput.dataFormat("NCHW"))
            },
            {
              "conv2 dW NHWC",
              tf.nn.conv2dBackpropFilter(x, tf.constant(new int[] {5, 5, 6, 16}), dy, one, "VALID")
            },
            {
              "conv2 dW NCHW",
              tf.nn.conv2dBackpropFilter(
                  xNchw,
                  tf.constant(new int[] {5, 5, 6, 16}),
                  dyNchw,
                  one,
                  "VALID",
                  Conv2dBackpropFilter.dataFormat("NCHW"))
            },
            {"conv1 fwd NHWC", tf.nn.conv2d(x1, w1, one, "VALID")},
            {
              "conv1 fwd NCHW",
              tf.nn.conv2d(x1Nchw, w1, one, "VALID", org.tensorflow.op.nn.Conv2d.dataFormat("NCHW"))
            },
            {
              "conv1 dW NHWC",
              tf.nn.conv2dBackpropFilter(x1, tf.constant(new int[] {5, 5, 1, 6}), dy1, one, "VALID")
            },
            {"conv1 fwd as matmul of 25 shifted slices", null},
            {"conv1 fwd depthwise", tf.nn.depthwiseConv2dNative(x1, w1, one, "VALID")},
            {
              "conv1 dW depthwise",
              tf.nn.depthwiseConv2dNativeBackpropFilter(
                  x1, tf.constant(new int[] {5, 5, 1, 6}), dy1, one, "VALID")
            },
            {
              "avgpool1 grad op",
              tf.nn.avgPoolGrad(
                  tf.constant(new int[] {(int) b, 28, 28, 6}),
                  var(tf, b, 14, 14, 6),
                  List.of(1L, 2L, 2L, 1L),
                  List.of(1L, 2L, 2L, 1L),
                  "VALID")
            },
            {
              "avgpool1 grad broadcast",
              tf.reshape(
                  tf.broadcastTo(
                      tf.reshape(
                          tf.math.mul(var(tf, b, 14, 14, 6), tf.constant(0.25f)),
                          tf.constant(new long[] {b, 14, 1, 14, 1, 6})),
                      tf.constant(new long[] {b, 14, 2, 14, 2, 6})),
                  tf.constant(new long[] {b, 28, 28, 6}))
            },
            {
              "avgpool1 fwd op",
              tf.nn.avgPool(dy1, List.of(1L, 2L, 2L, 1L), List.of(1L, 2L, 2L, 1L), "VALID")
            },
            {
              "avgpool1 fwd reshape+sum",
              tf.math.mul(
                  tf.sum(
                      tf.reshape(dy1, tf.constant(new long[] {b, 14, 2, 14, 2, 6})),
                      tf.constant(new int[] {2, 4})),
                  tf.constant(0.25f))
            },
            {"sigmoid on conv1 out", tf.math.sigmoid(dy1)},
          };
      // conv1 forward as sum over 25 offsets of slice * w (elementwise, 1 input channel)
      Operand<TFloat32> acc = null;
      for (int ky = 0; ky < 5; ky++) {
        for (int kx = 0; kx < 5; kx++) {
          var slice =
              tf.slice(
                  x1,
                  tf.constant(new int[] {0, ky, kx, 0}),
                  tf.constant(new int[] {-1, 28, 28, 1}));
          var wk =
              tf.reshape(
                  tf.slice(
                      w1,
                      tf.constant(new int[] {ky, kx, 0, 0}),
                      tf.constant(new int[] {1, 1, 1, 6})),
                  tf.constant(new int[] {6}));
          var term = tf.math.mul(slice, wk);
          acc = acc == null ? term : tf.math.add(acc, term);
        }
      }
      ops[9][1] = acc;
      try (Session s = new Session(g, TfDevices.config(Device.CPU, 2, 2))) {
        for (Object[] o : ops) {
          time((String) o[0], s, (Operand<?>) o[1]);
        }
      }
    }
  }
}
