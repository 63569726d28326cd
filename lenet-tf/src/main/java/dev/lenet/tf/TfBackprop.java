package dev.lenet.tf;

import dev.lenet.api.spec.Activation;
import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.Dense;
import dev.lenet.api.spec.Flatten;
import dev.lenet.api.spec.Layer;
import dev.lenet.api.spec.MaxPool2d;
import dev.lenet.api.spec.Relu;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.spec.Sigmoid;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The backward pass, written out layer by layer instead of asking TensorFlow's C++ gradient
 * registry. That lets each gradient use the kernel that is fast here: a convolution's input
 * gradient runs channels-first ({@code NCHW}), which oneDNN computes about 1.7x faster than
 * channels-last for LeNet's second convolution, and no gradient is built for layers below the first
 * one with parameters. Checked against finite differences for every layer kind.
 */
final class TfBackprop {

  /** Whether conv input gradients may use NCHW (oneDNN's CPU kernels; off without oneDNN). */
  static final boolean CHANNELS_FIRST_INPUT_GRADIENT =
      !"0".equals(System.getenv("TF_ENABLE_ONEDNN_OPTS"));

  private TfBackprop() {}

  /**
   * Gradients of the loss for every parameter, by API parameter name, in TensorFlow layouts.
   *
   * @param dLogits the loss's gradient for the logits, {@code [batch, classes]}
   */
  static Map<String, Operand<TFloat32>> gradients(
      Ops tf, TfNetwork network, TfNetwork.Trace trace, Operand<TFloat32> dLogits) {
    List<TfNetwork.Part> parts = trace.parts();
    int firstWithParams = -1;
    for (int i = 0; i < parts.size(); i++) {
      if (parts.get(i).hasParameters()) {
        firstWithParams = i;
        break;
      }
    }
    Map<String, Operand<TFloat32>> grads = new LinkedHashMap<>();
    Operand<TFloat32> dy = dLogits;
    for (int i = parts.size() - 1; i >= 0 && i >= firstWithParams; i--) {
      boolean needInput = i > firstWithParams;
      TfNetwork.Part part = parts.get(i);
      dy =
          part instanceof TfBlocked.Applied run
              ? TfBlocked.backward(tf, run, dy, needInput, grads)
              : layer(tf, network, (TfNetwork.Step) part, dy, needInput, grads);
    }
    return grads;
  }

  /** Records the layer's parameter gradients and returns its input's gradient (or null). */
  private static Operand<TFloat32> layer(
      Ops tf,
      TfNetwork network,
      TfNetwork.Step step,
      Operand<TFloat32> dy,
      boolean needInput,
      Map<String, Operand<TFloat32>> grads) {
    Layer layer = step.info().layer();
    String p = "layer" + step.info().number();
    if (layer instanceof Dense) {
      grads.put(p + ".weight", tf.linalg.matMul(step.input(), dy, MatMul.transposeA(true)));
      grads.put(p + ".bias", tf.nn.biasAddGrad(dy));
      return needInput
          ? tf.linalg.matMul(dy, network.variable(p + ".weight"), MatMul.transposeB(true))
          : null;
    } else if (layer instanceof Conv2d c) {
      return conv(tf, network, step, c, p, dy, needInput, grads);
    } else if (layer instanceof Activation a) {
      return activationGradient(tf, a, step.output(), dy);
    } else if (layer instanceof AvgPool2d pool) {
      if (tiles(pool, step.info().inputShape())) {
        return spread(tf, pool, step.info().inputShape(), dy);
      }
      return tf.nn.avgPoolGrad(
          tf.shape(step.input()),
          dy,
          List.of(1L, (long) pool.kernelHeight(), (long) pool.kernelWidth(), 1L),
          List.of(1L, (long) pool.strideHeight(), (long) pool.strideWidth(), 1L),
          "VALID");
    } else if (layer instanceof MaxPool2d pool) {
      return tf.nn.maxPoolGrad(
          step.input(),
          step.output(),
          dy,
          tf.constant(new int[] {1, pool.kernelHeight(), pool.kernelWidth(), 1}),
          tf.constant(new int[] {1, pool.strideHeight(), pool.strideWidth(), 1}),
          "VALID");
    } else if (layer instanceof Flatten) {
      Shape in = step.info().inputShape();
      if (in.isImage() && in.channels() > 1) {
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
    throw new IllegalStateException("no backward pass for layer " + layer.describe());
  }

  /** The gradient of an activation's input, from its output {@code y} and that's gradient. */
  static Operand<TFloat32> activationGradient(
      Ops tf, Activation a, Operand<TFloat32> y, Operand<TFloat32> dy) {
    if (a instanceof Sigmoid) {
      return tf.math.sigmoidGrad(y, dy);
    } else if (a instanceof Relu) {
      return tf.nn.reluGrad(dy, y);
    }
    return tf.math.tanhGrad(y, dy);
  }

  /** Whether the pool's windows tile its input exactly: no overlap, no leftover rows or columns. */
  private static boolean tiles(AvgPool2d pool, Shape in) {
    return pool.strideHeight() == pool.kernelHeight()
        && pool.strideWidth() == pool.kernelWidth()
        && in.height() % pool.kernelHeight() == 0
        && in.width() % pool.kernelWidth() == 0;
  }

  /**
   * The gradient of an average pool whose windows tile its input: each output's gradient, divided
   * by the window size, spread over its window. A reshape and a broadcast, which here runs about
   * 1.5x faster than oneDNN's AvgPoolGrad on LeNet's first pool.
   */
  private static Operand<TFloat32> spread(Ops tf, AvgPool2d pool, Shape in, Operand<TFloat32> dy) {
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

  /**
   * A convolution's input gradient ({@code VALID}, NHWC in and out), computed channels-first where
   * oneDNN is on: faster for LeNet's few channels, even with the two transposes.
   */
  private static Operand<TFloat32> inputGradient(
      Ops tf,
      Operand<TFloat32> filter,
      Operand<TFloat32> dy,
      Operand<TInt32> inputShape,
      int strideHeight,
      int strideWidth) {
    if (!CHANNELS_FIRST_INPUT_GRADIENT) {
      return tf.nn.conv2dBackpropInput(
          inputShape,
          filter,
          dy,
          List.of(1L, (long) strideHeight, (long) strideWidth, 1L),
          "VALID");
    }
    Operand<TFloat32> dyNchw = tf.linalg.transpose(dy, tf.constant(new int[] {0, 3, 1, 2}));
    Operand<TInt32> shapeNchw =
        tf.gather(inputShape, tf.constant(new int[] {0, 3, 1, 2}), tf.constant(0));
    Operand<TFloat32> dxNchw =
        tf.nn.conv2dBackpropInput(
            shapeNchw,
            filter,
            dyNchw,
            List.of(1L, 1L, (long) strideHeight, (long) strideWidth),
            "VALID",
            Conv2dBackpropInput.dataFormat("NCHW"));
    return tf.linalg.transpose(dxNchw, tf.constant(new int[] {0, 2, 3, 1}));
  }

  private static Operand<TFloat32> conv(
      Ops tf,
      TfNetwork network,
      TfNetwork.Step step,
      Conv2d c,
      String p,
      Operand<TFloat32> dy,
      boolean needInput,
      Map<String, Operand<TFloat32>> grads) {
    List<Long> strides = List.of(1L, (long) c.strideHeight(), (long) c.strideWidth(), 1L);
    Operand<TFloat32> filter = network.variable(p + ".weight");
    grads.put(
        p + ".weight",
        tf.nn.conv2dBackpropFilter(step.opInput(), tf.shape(filter), dy, strides, "VALID"));
    grads.put(p + ".bias", tf.nn.biasAddGrad(dy));
    if (!needInput) {
      return null;
    }
    Operand<TFloat32> dx =
        inputGradient(tf, filter, dy, tf.shape(step.opInput()), c.strideHeight(), c.strideWidth());
    return unpadded(tf, c, step.info().inputShape(), dx);
  }

  /**
   * The gradient of a convolution's input from that of its padded input ({@link TfNetwork#padded}):
   * the padding's rows and columns cut off.
   */
  static Operand<TFloat32> unpadded(Ops tf, Conv2d c, Shape in, Operand<TFloat32> dPadded) {
    if (c.paddingHeight() == 0 && c.paddingWidth() == 0) {
      return dPadded;
    }
    return tf.slice(
        dPadded,
        tf.constant(new int[] {0, c.paddingHeight(), c.paddingWidth(), 0}),
        tf.constant(new int[] {-1, in.height(), in.width(), in.channels()}));
  }
}
