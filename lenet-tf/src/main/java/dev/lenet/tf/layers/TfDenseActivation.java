package dev.lenet.tf.layers;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A dense layer and the element-wise activation after it, as one unit whose forward pass is one
 * fused kernel ({@link TfFusedProduct}); its backward pass is the activation's, then the dense
 * layer's. The network uses it where the session's graph may hold fused kernels (see {@link
 * dev.lenet.tf.network.TfNetwork#create}).
 */
public final class TfDenseActivation extends TfPerTower {

  private final TfDense dense;
  private final TfActivation activation;

  public TfDenseActivation(TfDense dense, TfActivation activation) {
    super(activation.info);
    this.dense = dense;
    this.activation = activation;
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    TfVariables.OfLayer params = dense.params();
    Operand<TFloat32> y =
        TfFusedProduct.apply(
            tf,
            x,
            pass.read(tf, params.get("weight")),
            pass.read(tf, params.get("bias")),
            activation);
    return new Step(x, y, y);
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    Operand<TFloat32> dPre = activation.gradient(tf, step.kept(), dy);
    return dense.backward(tf, step, dPre, needInput, grads);
  }
}
