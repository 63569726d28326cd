package dev.lenet.tf.layers;

import dev.lenet.api.spec.BatchNorm;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import dev.lenet.tf.kernels.TfKernels;
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
    return pass.training() ? new Training(tf, inputs, pass, 0, false) : inference(tf, inputs, 0);
  }

  /**
   * The same normalization of inputs held as blocked rows: each tower's {@code [rows, groups * C]},
   * whose column {@code g * C + c} holds channel {@code c} (the blocked stages' products, {@code
   * groups} pixels to a row). Statistics, updates and gradients are those of {@link #apply}; the
   * per-channel vectors are tiled across the groups, so that every element-wise op runs on the wide
   * rows (on {@code [values, C]} with 6 or 16 channels they ran several times slower). With {@code
   * nativeKernels}, the training pass's scale and shift and its input gradient are each one of
   * lenet's native kernels ({@link TfKernels#scaleShift}, {@link TfKernels#scaleShiftGradient},
   * which must be {@link TfKernels#available() available}).
   */
  public Applied applyToRows(
      Ops tf, List<Operand<TFloat32>> rows, int groups, TfPass pass, boolean nativeKernels) {
    if (groups < 1) {
      throw new IllegalArgumentException(
          "layer " + info.number() + ": blocked rows need at least 1 group, got " + groups);
    }
    return pass.training()
        ? new Training(tf, rows, pass, groups, nativeKernels)
        : inference(tf, rows, groups);
  }

  /**
   * A training pass on a convolution stage's products {@code patches x filter + tiledBias}, each
   * tower's {@code [rows, groups * C]} as in {@link #applyToRows}, taken from the patches' moments
   * ({@link TfPatchNorm}): the stage computes the normalized products itself, as one product with
   * the returned filter and bias, and no element-wise op runs on them.
   */
  public TfPatchNorm applyToPatches(
      Ops tf,
      List<Operand<TFloat32>> patches,
      Operand<TFloat32> filter,
      Operand<TFloat32> tiledBias,
      int groups,
      TfPass pass) {
    return new TfPatchNorm(this, tf, patches, filter, tiledBias, groups, pass);
  }

  TfVariables.OfLayer params() {
    return params;
  }

  private Applied inference(Ops tf, List<Operand<TFloat32>> inputs, int groups) {
    Operand<TFloat32> scale =
        tf.math.mul(
            params.get("weight"),
            tf.math.rsqrt(tf.math.add(params.get("running_var"), epsilon(tf))));
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (Operand<TFloat32> x : inputs) {
      Operand<TFloat32> y =
          tf.math.add(
              tf.math.mul(
                  tf.math.sub(x, spread(tf, params.get("running_mean"), groups)),
                  spread(tf, scale, groups)),
              spread(tf, params.get("bias"), groups));
      if (groups == 0) {
        TfShapes.check(info, y);
      }
      outputs.add(y);
    }
    return Applied.inference(outputs);
  }

  /**
   * A training pass: batch statistics over every tower, and the running estimates' updates. Each
   * value is normalized as {@code x scale + shift}, with per-channel {@code scale = weight /
   * sqrt(var + eps)} and {@code shift = bias - mean scale} (as PyTorch's CPU kernel does in its
   * forward pass): two passes over the values where {@code (x - mean) / sqrt(var + eps) weight +
   * bias} takes four. The backward pass likewise works from {@code x}, as {@code dx = dy scale + x
   * perX + offset} with per-channel factors, and takes {@code sum(dy x^)} as {@code (sum(dy x) -
   * mean sum(dy)) / sqrt(var + eps)}. Not subtracting the mean first costs precision where a
   * channel's mean is many times its spread (float32 keeps about 7 digits of {@code x}); for the
   * batch-norm LeNet a step still matches the double-precision reference to 1e-5 ({@code
   * GradientTest}), and its 10 epochs end as the centred form's did to 4 digits.
   */
  private final class Training implements Applied {
    private final int groups;
    private final boolean nativeKernels;
    private final List<Operand<TFloat32>> inputs;
    private final TfBatchStatistics stats;

    /** The statistics' scale as it broadcasts over the inputs (tiled across a row's groups). */
    private final Operand<TFloat32> wideScale;

    private final List<Operand<TFloat32>> outputs = new ArrayList<>();

    Training(
        Ops tf, List<Operand<TFloat32>> inputs, TfPass pass, int groups, boolean nativeKernels) {
      this.groups = groups;
      this.nativeKernels = nativeKernels;
      this.inputs = List.copyOf(inputs);
      Operand<TFloat32> count = null;
      Operand<TFloat32> sum = null;
      for (Operand<TFloat32> x : inputs) {
        count = plus(tf, count, values(tf, x, groups));
        sum = plus(tf, sum, reduce(tf, x, groups));
      }
      Operand<TFloat32> mean = tf.math.div(sum, count);
      Operand<TFloat32> wideMean = spread(tf, mean, groups);
      Operand<TFloat32> squares = null;
      for (Operand<TFloat32> x : inputs) {
        squares = plus(tf, squares, reduce(tf, tf.math.squaredDifference(x, wideMean), groups));
      }
      stats =
          new TfBatchStatistics(
              TfBatchNorm.this, tf, pass, count, mean, tf.math.div(squares, count));
      wideScale = spread(tf, stats.scale, groups);
      Operand<TFloat32> wideShift = spread(tf, stats.shift, groups);
      for (Operand<TFloat32> x : inputs) {
        Operand<TFloat32> y =
            nativeKernels
                ? TfKernels.scaleShift(tf, x, wideScale, wideShift)
                : tf.math.add(tf.math.mul(x, wideScale), wideShift);
        if (groups == 0) {
          TfShapes.check(info, y);
        }
        outputs.add(y);
      }
    }

    @Override
    public List<Operand<TFloat32>> outputs() {
      return outputs;
    }

    @Override
    public List<Op> updates() {
      return stats.updates;
    }

    @Override
    public List<Operand<TFloat32>> backward(
        Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads) {
      Operand<TFloat32> dBias = null;
      Operand<TFloat32> dyX = null;
      for (int t = 0; t < dy.size(); t++) {
        dBias = plus(tf, dBias, reduce(tf, dy.get(t), groups));
        dyX = plus(tf, dyX, reduce(tf, tf.math.mul(dy.get(t), inputs.get(t)), groups));
      }
      Operand<TFloat32> dWeight = stats.addGradients(tf, dBias, dyX, grads);
      if (!needInput) {
        return null;
      }
      TfBatchStatistics.InputFactors factors = stats.inputFactors(tf, dWeight, dBias);
      Operand<TFloat32> widePerX = spread(tf, factors.perX(), groups);
      Operand<TFloat32> wideOffset = spread(tf, factors.offset(), groups);
      List<Operand<TFloat32>> dx = new ArrayList<>();
      for (int t = 0; t < dy.size(); t++) {
        dx.add(
            nativeKernels
                ? TfKernels.scaleShiftGradient(
                    tf, dy.get(t), inputs.get(t), wideScale, widePerX, wideOffset)
                : tf.math.add(
                    tf.math.add(
                        tf.math.mul(dy.get(t), wideScale), tf.math.mul(inputs.get(t), widePerX)),
                    wideOffset));
      }
      return dx;
    }
  }

  /** {@code running = (1 - momentum) running + momentum batch}, as PyTorch moves it. */
  Op moved(Ops tf, TfPass pass, String local, Operand<TFloat32> batch) {
    float m = (float) norm.momentum();
    Operand<TFloat32> running = params.get(local);
    return tf.assign(
        running,
        tf.math.add(
            tf.math.mul(pass.read(tf, running), tf.constant(1f - m)),
            tf.math.mul(batch, tf.constant(m))));
  }

  /**
   * The values each statistic is taken over in {@code x}: examples times pixels in the layer's own
   * layout ({@code groups} 0), rows times groups in blocked rows.
   */
  Operand<TFloat32> values(Ops tf, Operand<TFloat32> x, int groups) {
    Shape in = info.inputShape();
    long pixels = groups > 0 ? groups : in.isImage() ? (long) in.height() * in.width() : 1;
    Operand<TFloat32> examples =
        tf.dtypes.cast(tf.gather(tf.shape(x), tf.constant(0), tf.constant(0)), TFloat32.class);
    return tf.math.mul(examples, tf.constant((float) pixels));
  }

  /** Per-channel sums of {@code x}: over all but the channels, or over rows and then groups. */
  private Operand<TFloat32> reduce(Ops tf, Operand<TFloat32> x, int groups) {
    if (groups == 0) {
      return tf.sum(
          x, tf.constant(info.inputShape().isImage() ? new int[] {0, 1, 2} : new int[] {0}));
    }
    return perChannel(tf, tf.sum(x, tf.constant(0)), groups);
  }

  /** A blocked row's per-column vector summed per channel: over its {@code groups} groups. */
  static Operand<TFloat32> perChannel(Ops tf, Operand<TFloat32> columns, int groups) {
    return tf.sum(tf.reshape(columns, tf.constant(new int[] {groups, -1})), tf.constant(0));
  }

  /** A per-channel vector as it broadcasts over {@code x}: tiled across the groups of a row. */
  static Operand<TFloat32> spread(Ops tf, Operand<TFloat32> v, int groups) {
    return groups == 0 ? v : tf.tile(v, tf.constant(new int[] {groups}));
  }

  Operand<TFloat32> epsilon(Ops tf) {
    return tf.constant((float) norm.epsilon());
  }

  /** {@code a + b}, or {@code b} where {@code a} is null: for sums over towers. */
  static Operand<TFloat32> plus(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    return a == null ? b : tf.math.add(a, b);
  }
}
