package dev.lenet.benchmarks.profile;

import dev.lenet.api.train.Device;
import dev.lenet.tf.runtime.TfDevices;
import dev.lenet.tf.runtime.TfImages;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/**
 * Ways from a tower's 128 stored images (bytes) to conv1's blocked patches, timed on one thread:
 * {@code InputExperiment}. How to run it: docs/development.md.
 */
public final class InputExperiment {
  private InputExperiment() {}

  static Operand<TFloat32> scale(Ops tf, Operand<TUint8> u) {
    return TfImages.scale(tf, u);
  }

  static Operand<TFloat32> posGather(Ops tf, Operand<TFloat32> z) {
    int[] index = new int[49 * 4];
    int k = 0;
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        for (int a = 0; a < 2; a++) {
          for (int e = 0; e < 2; e++) {
            index[k++] = (i + a) * 8 + j + e;
          }
        }
      }
    }
    return tf.reshape(
        tf.gather(
            tf.reshape(z, tf.constant(new long[] {-1, 64, 16})),
            tf.constant(index),
            tf.constant(1)),
        tf.constant(new long[] {-1, 64}));
  }

  static Operand<TFloat32> s2d(Ops tf, Operand<TFloat32> x) {
    return tf.reshape(
        tf.linalg.transpose(
            tf.reshape(x, tf.constant(new long[] {-1, 8, 4, 8, 4})),
            tf.constant(new int[] {0, 1, 3, 2, 4})),
        tf.constant(new long[] {-1, 8, 8, 16}));
  }

  public static void main(String[] args) {
    long b = 128;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var bytes =
          tf.variable(
              tf.dtypes.cast(
                  tf.math.mul(
                      tf.random.randomUniform(tf.constant(new long[] {b, 784}), TFloat32.class),
                      tf.constant(255f)),
                  TUint8.class));
      int[][] pad2 = {{0, 0}, {2, 2}, {2, 2}};
      // the first version: float, pad, the SpaceToDepth op, 4 slices + concat
      var xf = tf.reshape(scale(tf, bytes), tf.constant(new long[] {-1, 28, 28, 1}));
      var padded =
          tf.pad(xf, tf.constant(new int[][] {{0, 0}, {2, 2}, {2, 2}, {0, 0}}), tf.constant(0f));
      var z = tf.nn.spaceToDepth(padded, 4L);
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        for (int e = 0; e < 2; e++) {
          parts.add(
              tf.slice(
                  z, tf.constant(new int[] {0, a, e, 0}), tf.constant(new int[] {-1, 7, 7, 16})));
        }
      }
      var current = tf.reshape(tf.concat(parts, tf.constant(3)), tf.constant(new long[] {-1, 64}));
      // float, pad, transpose s2d, gather positions
      var v1 = posGather(tf, s2d(tf, padded));
      // uint8 pad + transpose s2d, then cast, gather positions
      var pu =
          tf.pad(
              tf.reshape(bytes, tf.constant(new long[] {-1, 28, 28})),
              tf.constant(pad2),
              tf.constant((byte) 0));
      var zu =
          tf.reshape(
              tf.linalg.transpose(
                  tf.reshape(pu, tf.constant(new long[] {-1, 8, 4, 8, 4})),
                  tf.constant(new int[] {0, 1, 3, 2, 4})),
              tf.constant(new long[] {-1, 8, 8, 16}));
      var v2 = posGather(tf, scale(tf, zu));
      var pad3 =
          tf.pad(
              tf.reshape(xf, tf.constant(new long[] {-1, 28, 28})),
              tf.constant(pad2),
              tf.constant(0f));
      try (Session s = new Session(g, TfDevices.config(Device.CPU, 1, 1))) {
        ConvExperiment.time("cast+scale only", s, xf);
        ConvExperiment.time("pad, SpaceToDepth, slices, concat", s, current);
        ConvExperiment.time("float pad, transpose, gather", s, v1);
        ConvExperiment.time("uint8 pad, transpose, cast, gather", s, v2);
        ConvExperiment.time("uint8 pad only", s, pu);
        ConvExperiment.time("float pad [n,28,28,1]", s, padded);
        ConvExperiment.time("float pad [n,28,28]", s, pad3);
      }
    }
  }
}
