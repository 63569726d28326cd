package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link dev.lenet.api.spec.Relu}: max(0, x). */
public final class TfRelu extends TfActivation {

  TfRelu(LayerInfo info, TfVariables vars) {
    super(info);
  }

  @Override
  public Operand<TFloat32> activate(Ops tf, Operand<TFloat32> x) {
    return tf.nn.relu(x);
  }

  @Override
  public String fusedName() {
    return "Relu";
  }

  /**
   * Yes: {@code relu(max(x)) = max(relu(x))}, and the gradient reaches the same pixel (the first
   * largest) or, where the window's max is not positive, none.
   */
  @Override
  public boolean exactAfterMaxPool() {
    return true;
  }

  @Override
  public Operand<TFloat32> gradient(Ops tf, Operand<TFloat32> y, Operand<TFloat32> dy) {
    return tf.nn.reluGrad(dy, y);
  }
}
