package dev.lenet.tf.layers;

import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link AvgPool2d}: TensorFlow's {@code VALID} average pool. Where the windows tile the input (no
 * overlap, nothing left over) its gradient is a reshape and a broadcast, which here runs about 1.5x
 * faster than oneDNN's AvgPoolGrad on LeNet's first pool.
 */
public final class TfAvgPool2d extends TfPerTower {

  private final AvgPool2d pool;

  TfAvgPool2d(LayerInfo info, TfVariables vars) {
    super(info);
    this.pool = (AvgPool2d) info.layer();
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    return step(
        x,
        tf.nn.avgPool(
            x,
            nhwc(pool.kernelHeight(), pool.kernelWidth()),
            nhwc(pool.strideHeight(), pool.strideWidth()),
            "VALID"));
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    Shape in = info.inputShape();
    if (tiles(in)) {
      return spread(tf, in, dy);
    }
    return tf.nn.avgPoolGrad(
        tf.shape(step.input()),
        dy,
        nhwc(pool.kernelHeight(), pool.kernelWidth()),
        nhwc(pool.strideHeight(), pool.strideWidth()),
        "VALID");
  }

  /** Whether the windows tile the input exactly: no overlap, no leftover rows or columns. */
  private boolean tiles(Shape in) {
    return pool.strideHeight() == pool.kernelHeight()
        && pool.strideWidth() == pool.kernelWidth()
        && in.height() % pool.kernelHeight() == 0
        && in.width() % pool.kernelWidth() == 0;
  }

  /** Each output's gradient, divided by the window size, spread over its window. */
  private Operand<TFloat32> spread(Ops tf, Shape in, Operand<TFloat32> dy) {
    int kh = pool.kernelHeight();
    int kw = pool.kernelWidth();
    long oh = in.height() / kh;
    long ow = in.width() / kw;
    long c = in.channels();
    Operand<TFloat32> scaled = tf.math.mul(dy, tf.constant(1f / (kh * kw)));
    Operand<TInt32> batch = tf.gather(tf.shape(dy), tf.constant(new int[] {0}), tf.constant(0));
    Operand<TFloat32> windows =
        tf.broadcastTo(
            tf.reshape(scaled, tf.constant(new long[] {-1, oh, 1, ow, 1, c})),
            tf.concat(
                List.of(batch, tf.constant(new int[] {(int) oh, kh, (int) ow, kw, (int) c})),
                tf.constant(0)));
    return tf.reshape(windows, tf.constant(new long[] {-1, in.height(), in.width(), c}));
  }
}
