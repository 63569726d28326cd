package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * An element-wise activation, whose gradient is computed from its output. The convolution-stage
 * fast path applies these two functions to its blocked activations.
 */
public abstract class TfActivation extends TfPerTower {

  protected TfActivation(LayerInfo info) {
    super(info);
  }

  /** The activation of {@code x}. */
  public abstract Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x);

  /**
   * The activation's name in TensorFlow's fused matrix product ({@code _FusedMatMul}'s {@code
   * fused_ops}), which computes it with the product and its bias.
   */
  public abstract String fusedName();

  /**
   * Whether a 2x2 max pool may come first and this activation after it with the same values and
   * gradients, bit for bit: the convolution stages then activate a quarter of the values.
   */
  public abstract boolean exactAfterMaxPool();

  /** The gradient of the activation's input, from its output {@code y} and that's gradient. */
  public abstract Operand<TFloat32> gradient(Ops tf, Operand<TFloat32> y, Operand<TFloat32> dy);

  @Override
  protected final Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    return step(x, activate(tf, x));
  }

  @Override
  protected final Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    return gradient(tf, step.output(), dy);
  }
}
