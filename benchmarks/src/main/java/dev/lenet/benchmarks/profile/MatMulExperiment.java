package dev.lenet.benchmarks.profile;

import dev.lenet.api.train.Device;
import dev.lenet.tf.runtime.TfDevices;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/** Blocked convolutions of one tower as matrix products over patches (batch 128, one thread). */
public final class MatMulExperiment {
  private MatMulExperiment() {}

  public static void main(String[] args) {
    long b = 128;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      List<BlockedConvExperiment.Case> cases = new ArrayList<>();
      // conv1 s2d4: [b,8,8,16] -> 2x2 patches [b,7,7,64] @ [64,96]
      var x1 = ConvExperiment.var(tf, b, 8, 8, 16);
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int a = 0; a < 2; a++) {
        for (int e = 0; e < 2; e++) {
          parts.add(
              tf.slice(
                  x1, tf.constant(new int[] {0, a, e, 0}), tf.constant(new int[] {-1, 7, 7, 16})));
        }
      }
      var p1 = tf.reshape(tf.concat(parts, tf.constant(3)), tf.constant(new long[] {-1, 64}));
      var p1v = ConvExperiment.var(tf, b * 49, 64);
      var w1 = ConvExperiment.var(tf, 64, 96);
      var d1 = ConvExperiment.var(tf, b * 49, 96);
      cases.add(new BlockedConvExperiment.Case("conv1 patches", p1));
      cases.add(new BlockedConvExperiment.Case("conv1 fwd matmul", tf.linalg.matMul(p1v, w1)));
      cases.add(
          new BlockedConvExperiment.Case(
              "conv1 dW matmul", tf.linalg.matMul(p1v, d1, MatMul.transposeA(true))));
      var x2 = ConvExperiment.var(tf, b, 7, 7, 24);
      parts = new ArrayList<>();
      for (int a = 0; a < 3; a++) {
        for (int e = 0; e < 3; e++) {
          parts.add(
              tf.slice(
                  x2, tf.constant(new int[] {0, a, e, 0}), tf.constant(new int[] {-1, 5, 5, 24})));
        }
      }
      var p2 = tf.reshape(tf.concat(parts, tf.constant(3)), tf.constant(new long[] {-1, 216}));
      var p2v = ConvExperiment.var(tf, b * 25, 216);
      var w2 = ConvExperiment.var(tf, 216, 64);
      var d2 = ConvExperiment.var(tf, b * 25, 64);
      cases.add(new BlockedConvExperiment.Case("conv2 patches", p2));
      cases.add(new BlockedConvExperiment.Case("conv2 fwd matmul", tf.linalg.matMul(p2v, w2)));
      cases.add(
          new BlockedConvExperiment.Case(
              "conv2 dW matmul", tf.linalg.matMul(p2v, d2, MatMul.transposeA(true))));
      cases.add(
          new BlockedConvExperiment.Case(
              "conv2 dPatches matmul", tf.linalg.matMul(d2, w2, MatMul.transposeB(true))));
      var dPre = ConvExperiment.var(tf, 1, b * 25, 64);
      var wt = ConvExperiment.var(tf, 9, 64, 24);
      cases.add(
          new BlockedConvExperiment.Case(
              "conv2 dPatches batch matmul k-major",
              tf.train.batchMatMul(dPre, wt, TFloat32.class)));
      var rowsV = ConvExperiment.var(tf, b, 225, 24);
      cases.add(
          new BlockedConvExperiment.Case(
              "transpose [n,225,24] -> [225,n,24]",
              tf.linalg.transpose(rowsV, tf.constant(new int[] {1, 0, 2}))));
      // Each from its own random values: a variable initialized from another variable's value
      // fails, since the session initializes all of them in one call.
      var p1b = bf16(tf, b * 49, 64);
      var w1b = bf16(tf, 64, 96);
      var d1b = bf16(tf, b * 49, 96);
      cases.add(
          new BlockedConvExperiment.Case("conv1 fwd matmul bf16", tf.linalg.matMul(p1b, w1b)));
      cases.add(
          new BlockedConvExperiment.Case(
              "conv1 dW matmul bf16", tf.linalg.matMul(p1b, d1b, MatMul.transposeA(true))));
      try (Session s = new Session(g, TfDevices.config(Device.CPU, 1, 1))) {
        for (var c : cases) {
          ConvExperiment.time(c.name(), s, c.op());
        }
      }
    }
  }

  /** A bfloat16 variable of uniform random values, initialized on its own. */
  static Operand<TBfloat16> bf16(Ops tf, long... dims) {
    return tf.variable(
        tf.dtypes.cast(
            tf.random.randomUniform(tf.constant(dims), TFloat32.class), TBfloat16.class));
  }
}
