package dev.lenet.tf.layers;

import dev.lenet.api.spec.Dense;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.ParameterInfo;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/** {@link Dense}: {@code y = x W + b} with {@code weight} stored {@code [in, units]}. */
public final class TfDense extends TfPerTower {

  private final TfVariables vars;

  TfDense(LayerInfo info, TfVariables vars) {
    super(info);
    this.vars = vars;
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    return step(x, tf.nn.biasAdd(tf.linalg.matMul(x, weight()), bias()));
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    int n = info.number();
    grads.add(
        ParameterInfo.name(n, "weight"),
        tf.linalg.matMul(step.input(), dy, MatMul.transposeA(true)));
    grads.add(ParameterInfo.name(n, "bias"), tf.nn.biasAddGrad(dy));
    return needInput ? tf.linalg.matMul(dy, weight(), MatMul.transposeB(true)) : null;
  }

  private Operand<TFloat32> weight() {
    return vars.get(info.number(), "weight");
  }

  private Operand<TFloat32> bias() {
    return vars.get(info.number(), "bias");
  }
}
