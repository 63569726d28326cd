package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link dev.lenet.api.spec.Tanh}: the hyperbolic tangent. */
public final class TfTanh extends TfActivation {

  TfTanh(LayerInfo info, TfVariables vars) {
    super(info);
  }

  @Override
  public Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x) {
    return tf.math.tanh(x);
  }

  @Override
  public String fusedName() {
    return "Tanh";
  }

  /**
   * No: the tanh is increasing, but rounds nearly equal large inputs to one value, so a window's
   * first largest output can be another pixel than its first largest input.
   */
  @Override
  public boolean exactAfterMaxPool() {
    return false;
  }

  @Override
  public Operand<TFloat32> gradient(Ops tf, Operand<TFloat32> y, Operand<TFloat32> dy) {
    return tf.math.tanhGrad(y, dy);
  }
}
