package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.MaxPool2d;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** {@link MaxPool2d}: TensorFlow's {@code VALID} max pool and its gradient, MaxPoolGrad. */
public final class TfMaxPool2d extends TfPerTower {

  private final MaxPool2d pool;

  TfMaxPool2d(LayerInfo info, TfVariables vars) {
    super(info);
    this.pool = (MaxPool2d) info.layer();
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    return step(x, tf.nn.maxPool(x, window(tf), strides(tf), "VALID"));
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    return tf.nn.maxPoolGrad(step.input(), step.output(), dy, window(tf), strides(tf), "VALID");
  }

  private Operand<org.tensorflow.types.TInt32> window(Ops tf) {
    return tf.constant(new int[] {1, pool.kernelHeight(), pool.kernelWidth(), 1});
  }

  private Operand<org.tensorflow.types.TInt32> strides(Ops tf) {
    return tf.constant(new int[] {1, pool.strideHeight(), pool.strideWidth(), 1});
  }
}
