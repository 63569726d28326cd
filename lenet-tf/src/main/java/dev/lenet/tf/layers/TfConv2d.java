package dev.lenet.tf.layers;

import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import dev.lenet.tf.runtime.TfNative;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * {@link Conv2d}: zero padding, a {@code VALID} convolution with the HWIO filter {@code weight},
 * and {@code bias}. Its backward pass computes the input gradient channels-first where oneDNN runs
 * ({@link TfNative#oneDnn()}): about 1.7x faster for LeNet's second convolution, even with the two
 * transposes.
 */
public final class TfConv2d extends TfPerTower {

  private final Conv2d conv;
  private final TfVariables.OfLayer params;

  TfConv2d(LayerInfo info, TfVariables vars) {
    super(info);
    this.conv = (Conv2d) info.layer();
    this.params = vars.of(info.number());
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  @Override
  protected Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower) {
    Operand<TFloat32> in = padded(tf, conv, info.inputShape(), x);
    Operand<TFloat32> y =
        tf.nn.conv2d(
            in,
            pass.read(tf, params.get("weight")),
            nhwc(conv.strideHeight(), conv.strideWidth()),
            "VALID");
    return new Step(x, in, tf.nn.biasAdd(y, pass.read(tf, params.get("bias"))));
  }

  @Override
  protected Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    List<Long> strides = nhwc(conv.strideHeight(), conv.strideWidth());
    Operand<TFloat32> filter = params.get("weight");
    grads.add(
        params.name("weight"),
        tf.nn.conv2dBackpropFilter(step.kept(), tf.shape(filter), dy, strides, "VALID"));
    grads.add(params.name("bias"), tf.nn.biasAddGrad(dy));
    if (!needInput) {
      return null;
    }
    Operand<TFloat32> dx = inputGradient(tf, filter, dy, tf.shape(step.kept()));
    return unpadded(tf, conv, info.inputShape(), dx);
  }

  /**
   * The input gradient of the {@code VALID} convolution (NHWC in and out), computed channels-first
   * where oneDNN is on.
   */
  private Operand<TFloat32> inputGradient(
      Ops tf, Operand<TFloat32> filter, Operand<TFloat32> dy, Operand<TInt32> inputShape) {
    if (!TfNative.oneDnn()) {
      return tf.nn.conv2dBackpropInput(
          inputShape, filter, dy, nhwc(conv.strideHeight(), conv.strideWidth()), "VALID");
    }
    Operand<TFloat32> dyNchw = tf.linalg.transpose(dy, tf.constant(new int[] {0, 3, 1, 2}));
    Operand<TInt32> shapeNchw =
        tf.gather(inputShape, tf.constant(new int[] {0, 3, 1, 2}), tf.constant(0));
    Operand<TFloat32> dxNchw =
        tf.nn.conv2dBackpropInput(
            shapeNchw,
            filter,
            dyNchw,
            List.of(1L, 1L, (long) conv.strideHeight(), (long) conv.strideWidth()),
            "VALID",
            Conv2dBackpropInput.dataFormat("NCHW"));
    return tf.linalg.transpose(dxNchw, tf.constant(new int[] {0, 2, 3, 1}));
  }

  /**
   * A convolution's input with its zero padding added: what its {@code VALID} op reads. Padded as
   * {@code [n, H, W*C]} (the same zeros, as channels are innermost): TensorFlow's Pad is 2x faster
   * here on that than on a one-channel NHWC image.
   */
  public static Operand<TFloat32> padded(Ops tf, Conv2d c, Shape in, Operand<TFloat32> x) {
    int ph = c.paddingHeight();
    int pw = c.paddingWidth();
    if (ph == 0 && pw == 0) {
      return x;
    }
    long h = in.height();
    long w = in.width();
    long ch = in.channels();
    Operand<TFloat32> rows =
        tf.pad(
            tf.reshape(x, tf.constant(new long[] {-1, h, w * ch})),
            tf.constant(new int[][] {{0, 0}, {ph, ph}, {pw * (int) ch, pw * (int) ch}}),
            tf.constant(0f));
    return tf.reshape(rows, tf.constant(new long[] {-1, h + 2 * ph, w + 2 * pw, ch}));
  }

  /** The gradient of a convolution's input from that of its padded input: the padding cut off. */
  public static Operand<TFloat32> unpadded(Ops tf, Conv2d c, Shape in, Operand<TFloat32> dPadded) {
    if (c.paddingHeight() == 0 && c.paddingWidth() == 0) {
      return dPadded;
    }
    return tf.slice(
        dPadded,
        tf.constant(new int[] {0, c.paddingHeight(), c.paddingWidth(), 0}),
        tf.constant(new int[] {-1, in.height(), in.width(), in.channels()}));
  }
}
