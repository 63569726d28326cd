package dev.lenet.tf.layers;

import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@code activation(a x b + bias)} as one {@code _FusedMatMul} op, which oneDNN runs as one kernel
 * (about 0.55 ms for conv1's product of a tower against 0.8 ms as three ops). It is the op that
 * Grappler's remapper writes for the same three ops; built here, it needs no Grappler pass (see
 * {@link dev.lenet.tf.runtime.TfDevices#config}). TensorFlow's CPU kernels (oneDNN's and, with
 * {@code TF_ENABLE_ONEDNN_OPTS=0}, Eigen's: checked on TensorFlow 2.18) take it with a sigmoid,
 * tanh or ReLU, or with the bias alone ({@link #withBias}); it is internal to TensorFlow, so
 * exported graphs keep the standard ops.
 */
public final class TfFusedProduct {

  private TfFusedProduct() {}

  /** {@code activation(a x b + bias)}, {@code a} {@code [m, k]}, {@code b} {@code [k, n]}. */
  public static Operand<TFloat32> apply(
      Ops tf,
      Operand<TFloat32> a,
      Operand<TFloat32> b,
      Operand<TFloat32> bias,
      TfActivation activation) {
    return build(tf, a, b, bias, "BiasAdd", activation.fusedName());
  }

  /**
   * {@code a x b + bias} as one op: a product whose activation comes later (after a batch norm, or
   * after a max pool).
   */
  public static Operand<TFloat32> withBias(
      Ops tf, Operand<TFloat32> a, Operand<TFloat32> b, Operand<TFloat32> bias) {
    return build(tf, a, b, bias, "BiasAdd");
  }

  private static Operand<TFloat32> build(
      Ops tf,
      Operand<TFloat32> a,
      Operand<TFloat32> b,
      Operand<TFloat32> bias,
      String... fusedOps) {
    Output<TFloat32> out =
        tf.scope()
            .opBuilder("_FusedMatMul", "FusedMatMul")
            .addInput(a.asOutput())
            .addInput(b.asOutput())
            .addInputList(new Output<?>[] {bias.asOutput()})
            .setAttr("num_args", 1)
            .setAttr("fused_ops", fusedOps)
            .setAttr("transpose_a", false)
            .setAttr("transpose_b", false)
            .build()
            .output(0);
    return out;
  }
}
