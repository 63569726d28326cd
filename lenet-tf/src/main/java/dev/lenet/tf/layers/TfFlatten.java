package dev.lenet.tf.layers;

import dev.lenet.api.spec.Flatten;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link Flatten}: NHWC activations transposed to channel-major order before the reshape, so that
 * the dense weights after it mean what they mean in the book's PyTorch model.
 */
public final class TfFlatten extends TfPerTower {

  TfFlatten(LayerInfo info, TfVariables vars) {
    super(info);
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    Shape in = info.inputShape();
    Operand<TFloat32> channelMajor =
        transposes() ? tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2})) : x;
    return step(x, tf.reshape(channelMajor, tf.constant(new long[] {-1, in.size()})));
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    Shape in = info.inputShape();
    if (transposes()) {
      Operand<TFloat32> nchw =
          tf.reshape(dy, tf.constant(new long[] {-1, in.channels(), in.height(), in.width()}));
      return tf.linalg.transpose(nchw, tf.constant(new int[] {0, 2, 3, 1}));
    }
    long[] shape =
        in.isImage()
            ? new long[] {-1, in.height(), in.width(), in.channels()}
            : new long[] {-1, in.dim(0)};
    return tf.reshape(dy, tf.constant(shape));
  }

  private boolean transposes() {
    Shape in = info.inputShape();
    return in.isImage() && in.channels() > 1;
  }
}
