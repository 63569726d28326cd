package dev.lenet.tf.layers;

import dev.lenet.api.spec.BatchNorm;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * {@link BatchNorm} per channel (NHWC's last axis) or per feature. In training the statistics are
 * those of the whole batch: each tower sums its part and the sums meet, so a batch split into
 * towers normalizes as one batch would (this is the one layer whose towers wait for each other).
 * The running mean and variance are variables that the training step updates; inference reads them.
 *
 * <p>Backward, per channel over the batch's {@code N} values, with {@code x^ = (x - mean) /
 * sqrt(var + eps)}: {@code dweight = sum(dy x^)}, {@code dbias = sum(dy)}, {@code dx = weight / (N
 * sqrt(var + eps)) (N dy - dbias - x^ dweight)}.
 */
public final class TfBatchNorm implements TfLayer {

  private final LayerInfo info;
  private final BatchNorm norm;
  private final TfVariables.OfLayer params;

  TfBatchNorm(LayerInfo info, TfVariables vars) {
    this.info = info;
    this.norm = (BatchNorm) info.layer();
    this.params = vars.of(info.number());
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  @Override
  public Applied apply(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass) {
    return pass.training() ? new Training(tf, inputs, pass, false) : inference(tf, inputs, false);
  }

  /**
   * The same normalization of inputs held as rows of channels: each tower's {@code [values,
   * channels]}, one row per pixel (and example), for a caller that holds the layer's input in
   * another layout (the blocked stages). Statistics, updates and gradients are those of {@link
   * #apply}.
   */
  public Applied applyToRows(Ops tf, List<Operand<TFloat32>> rows, TfPass pass) {
    return pass.training() ? new Training(tf, rows, pass, true) : inference(tf, rows, true);
  }

  private Applied inference(Ops tf, List<Operand<TFloat32>> inputs, boolean rows) {
    Operand<TFloat32> scale =
        tf.math.mul(
            params.get("weight"),
            tf.math.rsqrt(tf.math.add(params.get("running_var"), epsilon(tf))));
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (Operand<TFloat32> x : inputs) {
      Operand<TFloat32> y =
          tf.math.add(
              tf.math.mul(tf.math.sub(x, params.get("running_mean")), scale), params.get("bias"));
      if (!rows) {
        TfShapes.check(info, y);
      }
      outputs.add(y);
    }
    return Applied.inference(outputs);
  }

  /** A training pass: batch statistics over every tower, and the running estimates' updates. */
  private final class Training implements Applied {
    private final boolean rows;
    private final Operand<TFloat32> count;
    private final Operand<TFloat32> inverse;
    private final List<Operand<TFloat32>> normalized = new ArrayList<>();
    private final List<Operand<TFloat32>> outputs = new ArrayList<>();
    private final List<Op> updates;

    Training(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass, boolean rows) {
      this.rows = rows;
      Operand<TFloat32> n = null;
      Operand<TFloat32> sum = null;
      for (Operand<TFloat32> x : inputs) {
        n = plus(tf, n, values(tf, x, rows));
        sum = plus(tf, sum, tf.sum(x, axes(tf, rows)));
      }
      count = n;
      Operand<TFloat32> mean = tf.math.div(sum, count);
      Operand<TFloat32> squares = null;
      for (Operand<TFloat32> x : inputs) {
        squares = plus(tf, squares, tf.sum(tf.math.squaredDifference(x, mean), axes(tf, rows)));
      }
      Operand<TFloat32> variance = tf.math.div(squares, count);
      inverse = tf.math.rsqrt(tf.math.add(variance, epsilon(tf)));
      for (Operand<TFloat32> x : inputs) {
        Operand<TFloat32> xHat = tf.math.mul(tf.math.sub(x, mean), inverse);
        normalized.add(xHat);
        Operand<TFloat32> y =
            tf.math.add(
                tf.math.mul(xHat, pass.read(tf, params.get("weight"))),
                pass.read(tf, params.get("bias")));
        if (!rows) {
          TfShapes.check(info, y);
        }
        outputs.add(y);
      }
      Operand<TFloat32> unbiased =
          tf.math.div(
              tf.math.mul(variance, count),
              tf.math.maximum(tf.math.sub(count, tf.constant(1f)), tf.constant(1f)));
      updates =
          List.of(moved(tf, pass, "running_mean", mean), moved(tf, pass, "running_var", unbiased));
    }

    @Override
    public List<Operand<TFloat32>> outputs() {
      return outputs;
    }

    @Override
    public List<Op> updates() {
      return updates;
    }

    @Override
    public List<Operand<TFloat32>> backward(
        Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads) {
      Operand<TFloat32> dBias = null;
      Operand<TFloat32> dWeight = null;
      for (int t = 0; t < dy.size(); t++) {
        dBias = plus(tf, dBias, tf.sum(dy.get(t), axes(tf, rows)));
        dWeight =
            plus(tf, dWeight, tf.sum(tf.math.mul(dy.get(t), normalized.get(t)), axes(tf, rows)));
      }
      grads.add(params.name("weight"), dWeight);
      grads.add(params.name("bias"), dBias);
      if (!needInput) {
        return null;
      }
      Operand<TFloat32> factor = tf.math.div(tf.math.mul(params.get("weight"), inverse), count);
      List<Operand<TFloat32>> dx = new ArrayList<>();
      for (int t = 0; t < dy.size(); t++) {
        Operand<TFloat32> centered =
            tf.math.sub(
                tf.math.sub(tf.math.mul(dy.get(t), count), dBias),
                tf.math.mul(normalized.get(t), dWeight));
        dx.add(tf.math.mul(centered, factor));
      }
      return dx;
    }
  }

  /** {@code running = (1 - momentum) running + momentum batch}, as PyTorch moves it. */
  private Op moved(Ops tf, TfPass pass, String local, Operand<TFloat32> batch) {
    float m = (float) norm.momentum();
    Operand<TFloat32> running = params.get(local);
    return tf.assign(
        running,
        tf.math.add(
            tf.math.mul(pass.read(tf, running), tf.constant(1f - m)),
            tf.math.mul(batch, tf.constant(m))));
  }

  /** The values each statistic is taken over in {@code x}: examples times pixels, or its rows. */
  private Operand<TFloat32> values(Ops tf, Operand<TFloat32> x, boolean rows) {
    Shape in = info.inputShape();
    long pixels = !rows && in.isImage() ? (long) in.height() * in.width() : 1;
    Operand<TFloat32> examples =
        tf.dtypes.cast(tf.gather(tf.shape(x), tf.constant(0), tf.constant(0)), TFloat32.class);
    return tf.math.mul(examples, tf.constant((float) pixels));
  }

  /** The axes a statistic sums over: all but the channels. */
  private Operand<org.tensorflow.types.TInt32> axes(Ops tf, boolean rows) {
    return tf.constant(!rows && info.inputShape().isImage() ? new int[] {0, 1, 2} : new int[] {0});
  }

  private Operand<TFloat32> epsilon(Ops tf) {
    return tf.constant((float) norm.epsilon());
  }

  private static Operand<TFloat32> plus(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return a == null ? b : tf.math.add(a, b);
  }
}
