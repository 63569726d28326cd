package dev.lenet.tf.layers;

import dev.lenet.api.spec.Dense;
import dev.lenet.api.spec.LayerInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/** {@link Dense}: {@code y = x W + b} with {@code weight} stored {@code [in, units]}. */
public final class TfDense extends TfPerTower {

  private final TfVariables.OfLayer params;

  TfDense(LayerInfo info, TfVariables vars) {
    super(info);
    this.params = vars.of(info.number());
  }

  TfVariables.OfLayer params() {
    return params;
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    return step(
        x,
        tf.nn.biasAdd(
            tf.linalg.matMul(x, pass.read(tf, params.get("weight"))),
            pass.read(tf, params.get("bias"))));
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    grads.add(params.name("weight"), tf.linalg.matMul(step.input(), dy, MatMul.transposeA(true)));
    grads.add(params.name("bias"), tf.nn.biasAddGrad(dy));
    return needInput ? tf.linalg.matMul(dy, params.get("weight"), MatMul.transposeB(true)) : null;
  }
}
