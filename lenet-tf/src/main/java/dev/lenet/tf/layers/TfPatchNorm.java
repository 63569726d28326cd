package dev.lenet.tf.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * A training pass of {@link TfBatchNorm} on a convolution stage's products {@code u = p W + b},
 * computed from the patches instead of the products, so that no element-wise op runs on the
 * products' rows: {@code p} is each tower's patches ({@code [rows, K]}), {@code W} the blocked
 * filter ({@code [K, groups * C]}, column {@code g * C + c} for channel {@code c}) and {@code b}
 * the bias tiled across the groups.
 *
 * <p>Forward: the patches' column sums {@code s} and Gram matrix {@code G = p^T p} ({@code K x K}),
 * summed over the towers, give each column's sum, {@code s W + rows b}, and its sum of squares
 * about its own mean, {@code diag(W^T (G - s^T s / rows) W)}; a channel's variance adds its
 * columns' spread about the channel's mean. The normalized products {@code u scale + shift} are
 * then {@code p (W scale) + (b scale + shift)}: the stage computes them as one product with {@link
 * #filter()} and {@link #bias()}, fused with its activation.
 *
 * <p>Backward, from each tower's {@code dy} (the gradient of the normalized products): {@code M =
 * p^T dy} gives {@code sum(dy u)} per column as {@code sum_k W .* M + b sum(dy)}; the filter's
 * gradient {@code p^T du}, with {@code du = dy scale + u perX + offset} as in {@link TfBatchNorm}'s
 * training pass, is {@code M scale + (G W + s^T b) perX + s^T offset}, and the bias's is the same
 * with the column sums. No gradient of the patches is formed, so the stage must be the first with
 * parameters.
 *
 * <p>The patches' sums of squares are centred on their column means before the weights apply
 * ({@code G - s^T s / rows}): float32 keeps about 7 digits there, which suits pixels and
 * activations whose mean is within a few times their spread (the batch-norm LeNet's first step
 * matches the double-precision reference to the tests' tolerance); a variance that rounding takes
 * below 0 is taken as 0.
 *
 * <p>For conv1 of the batch-norm LeNet ({@code K = 64}, 96 columns, 6,272 rows a tower) the Gram
 * matrix costs two thirds of the product; the stage's forward and backward passes take about 2.5 ms
 * a tower against 4.1 ms with the element-wise ops (docs/benchmarks.md).
 */
public final class TfPatchNorm {

  /** A stage's gradients: its blocked filter's ({@code [K, groups * C]}) and its tiled bias's. */
  public record Gradients(Operand<TFloat32> filter, Operand<TFloat32> bias) {}

  private final int groups;
  private final List<Operand<TFloat32>> patches;
  private final Operand<TFloat32> weights;
  private final Operand<TFloat32> tiledBias;
  private final Operand<TFloat32> rows;
  private final Operand<TFloat32> sums;
  private final Operand<TFloat32> gram;
  private final Operand<TFloat32> columnSums;
  private final TfBatchStatistics stats;
  private final Operand<TFloat32> wideScale;
  private final Operand<TFloat32> filter;
  private final Operand<TFloat32> bias;

  TfPatchNorm(
      TfBatchNorm layer,
      Ops tf,
      List<Operand<TFloat32>> patches,
      Operand<TFloat32> weights,
      Operand<TFloat32> tiledBias,
      int groups,
      TfPass pass) {
    this.groups = groups;
    this.patches = List.copyOf(patches);
    this.weights = weights;
    this.tiledBias = tiledBias;
    Operand<TFloat32> count = null;
    Operand<TFloat32> s = null;
    Operand<TFloat32> g = null;
    for (Operand<TFloat32> p : patches) {
      count = TfBatchNorm.plus(tf, count, layer.values(tf, p, groups));
      s = TfBatchNorm.plus(tf, s, tf.sum(p, tf.constant(0), Sum.keepDims(true)));
      g = TfBatchNorm.plus(tf, g, tf.linalg.matMul(p, p, MatMul.transposeA(true)));
    }
    rows = tf.math.div(count, tf.constant((float) groups));
    sums = s;
    gram = g;
    // Each column's sum of u, and the channel's mean.
    columnSums =
        tf.math.add(flat(tf, tf.linalg.matMul(sums, weights)), tf.math.mul(rows, tiledBias));
    Operand<TFloat32> mean = tf.math.div(TfBatchNorm.perChannel(tf, columnSums, groups), count);
    // Each column's squares about its own mean, then the columns' means about the channel's.
    Operand<TFloat32> centred =
        tf.math.sub(gram, tf.math.div(tf.linalg.matMul(sums, sums, MatMul.transposeA(true)), rows));
    Operand<TFloat32> within =
        tf.sum(tf.math.mul(weights, tf.linalg.matMul(centred, weights)), tf.constant(0));
    Operand<TFloat32> between =
        tf.math.mul(
            rows,
            tf.math.squaredDifference(
                tf.math.div(columnSums, rows), TfBatchNorm.spread(tf, mean, groups)));
    // Float32 rounding in G - s^T s / rows could take a constant channel's variance below 0.
    Operand<TFloat32> variance =
        tf.math.maximum(
            tf.math.div(TfBatchNorm.perChannel(tf, tf.math.add(within, between), groups), count),
            tf.constant(0f));
    stats = new TfBatchStatistics(layer, tf, pass, count, mean, variance);
    wideScale = TfBatchNorm.spread(tf, stats.scale, groups);
    filter = tf.math.mul(weights, wideScale);
    bias =
        tf.math.add(tf.math.mul(tiledBias, wideScale), TfBatchNorm.spread(tf, stats.shift, groups));
  }

  /** The filter that gives the normalized products: {@code W scale}. */
  public Operand<TFloat32> filter() {
    return filter;
  }

  /** The bias that gives the normalized products: {@code b scale + shift}. */
  public Operand<TFloat32> bias() {
    return bias;
  }

  /** The running mean's and variance's updates. */
  public List<Op> updates() {
    return stats.updates;
  }

  /**
   * Adds the layer's weight and bias gradients to {@code grads} and returns the stage's.
   *
   * @param dy each tower's gradient of the normalized products
   */
  public Gradients backward(Ops tf, List<Operand<TFloat32>> dy, TfGradients grads) {
    Operand<TFloat32> dySums = null;
    Operand<TFloat32> m = null;
    for (int t = 0; t < dy.size(); t++) {
      dySums = TfBatchNorm.plus(tf, dySums, tf.sum(dy.get(t), tf.constant(0)));
      m =
          TfBatchNorm.plus(
              tf, m, tf.linalg.matMul(patches.get(t), dy.get(t), MatMul.transposeA(true)));
    }
    Operand<TFloat32> dBias = TfBatchNorm.perChannel(tf, dySums, groups);
    Operand<TFloat32> dyU =
        TfBatchNorm.perChannel(
            tf,
            tf.math.add(
                tf.sum(tf.math.mul(weights, m), tf.constant(0)), tf.math.mul(tiledBias, dySums)),
            groups);
    Operand<TFloat32> dWeight = stats.addGradients(tf, dBias, dyU, grads);
    // du = dy scale + u perX + offset, as in TfBatchNorm's training pass.
    TfBatchStatistics.InputFactors factors = stats.inputFactors(tf, dWeight, dBias);
    Operand<TFloat32> perX = TfBatchNorm.spread(tf, factors.perX(), groups);
    Operand<TFloat32> offset = TfBatchNorm.spread(tf, factors.offset(), groups);
    // p^T u = G W + s^T b
    Operand<TFloat32> patchesU =
        tf.math.add(
            tf.linalg.matMul(gram, weights),
            tf.linalg.matMul(sums, row(tf, tiledBias), MatMul.transposeA(true)));
    Operand<TFloat32> dFilter =
        tf.math.add(
            tf.math.add(tf.math.mul(m, wideScale), tf.math.mul(patchesU, perX)),
            tf.linalg.matMul(sums, row(tf, offset), MatMul.transposeA(true)));
    Operand<TFloat32> dTiledBias =
        tf.math.add(
            tf.math.add(tf.math.mul(dySums, wideScale), tf.math.mul(columnSums, perX)),
            tf.math.mul(rows, offset));
    return new Gradients(dFilter, dTiledBias);
  }

  private static Operand<TFloat32> flat(Ops tf, Operand<TFloat32> x) {
    return tf.reshape(x, tf.constant(new int[] {-1}));
  }

  private static Operand<TFloat32> row(Ops tf, Operand<TFloat32> v) {
    return tf.reshape(v, tf.constant(new int[] {1, -1}));
  }
}
