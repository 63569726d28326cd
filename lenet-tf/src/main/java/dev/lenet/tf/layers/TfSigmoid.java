package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link dev.lenet.api.spec.Sigmoid}: the logistic function. */
public final class TfSigmoid extends TfActivation {

  TfSigmoid(LayerInfo info, TfVariables vars) {
    super(info);
  }

  @Override
  public Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x) {
    return tf.math.sigmoid(x);
  }

  @Override
  public String fusedName() {
    return "Sigmoid";
  }

  /**
   * No: the sigmoid is increasing, but rounds nearly equal large inputs to one value, so a window's
   * first largest output can be another pixel than its first largest input.
   */
  @Override
  public boolean exactAfterMaxPool() {
    return false;
  }

  @Override
  public Operand<TFloat32> gradient(Ops tf, Operand<TFloat32> y, Operand<TFloat32> dy) {
    return tf.math.sigmoidGrad(y, dy);
  }
}
