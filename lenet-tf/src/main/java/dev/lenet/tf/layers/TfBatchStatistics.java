package dev.lenet.tf.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * What follows from a training pass's per-channel batch statistics, whichever way they were summed
 * ({@link TfBatchNorm}'s training pass from its inputs, {@link TfPatchNorm} from a stage's
 * patches): the normalization {@code x scale + shift}, with per-channel {@code scale = weight /
 * sqrt(var + eps)} and {@code shift = bias - mean scale} from the layer's weight and bias as the
 * pass reads them, and the running estimates' updates; backward, the layer's gradients and the
 * factors of {@code dx = dy scale + x perX + offset}.
 */
final class TfBatchStatistics {

  /** The per-channel factors of {@code dx = dy scale + x perX + offset}. */
  record InputFactors(Operand<TFloat32> perX, Operand<TFloat32> offset) {}

  private final TfBatchNorm layer;

  /** The values the statistics were taken over (examples times pixels or groups). */
  final Operand<TFloat32> count;

  final Operand<TFloat32> mean;

  /** {@code 1 / sqrt(var + eps)}. */
  final Operand<TFloat32> inverse;

  /** {@code weight / sqrt(var + eps)}, the weight as the forward pass read it. */
  final Operand<TFloat32> scale;

  final Operand<TFloat32> shift;
  final List<Op> updates;

  TfBatchStatistics(
      TfBatchNorm layer,
      Ops tf,
      TfPass pass,
      Operand<TFloat32> count,
      Operand<TFloat32> mean,
      Operand<TFloat32> variance) {
    this.layer = layer;
    this.count = count;
    this.mean = mean;
    inverse = tf.math.rsqrt(tf.math.add(variance, layer.epsilon(tf)));
    // The weight as this pass reads it (after an earlier step's update, if chained).
    scale = tf.math.mul(pass.read(tf, layer.params().get("weight")), inverse);
    shift = tf.math.sub(pass.read(tf, layer.params().get("bias")), tf.math.mul(mean, scale));
    // The running variance is unbiased, as PyTorch keeps it.
    Operand<TFloat32> unbiased =
        tf.math.div(
            tf.math.mul(variance, count),
            tf.math.maximum(tf.math.sub(count, tf.constant(1f)), tf.constant(1f)));
    updates =
        List.of(
            layer.moved(tf, pass, "running_mean", mean),
            layer.moved(tf, pass, "running_var", unbiased));
  }

  /**
   * Adds the layer's gradients to {@code grads}, from the batch's per-channel sums of {@code dy}
   * ({@code dBias}) and of {@code dy x}, and returns the weight's.
   */
  Operand<TFloat32> addGradients(
      Ops tf, Operand<TFloat32> dBias, Operand<TFloat32> dyX, TfGradients grads) {
    // sum(dy x^) = (sum(dy x) - mean sum(dy)) / sqrt(var + eps)
    Operand<TFloat32> dWeight = tf.math.mul(tf.math.sub(dyX, tf.math.mul(mean, dBias)), inverse);
    grads.add(layer.params().name("weight"), dWeight);
    grads.add(layer.params().name("bias"), dBias);
    return dWeight;
  }

  /**
   * {@code dx = f (N dy - dbias - x^ dweight)} with {@code f = weight / (N sqrt(var + eps))} and
   * {@code x^ = (x - mean) / sqrt(var + eps)}, as {@code dy scale + x perX + offset}.
   */
  InputFactors inputFactors(Ops tf, Operand<TFloat32> dWeight, Operand<TFloat32> dBias) {
    Operand<TFloat32> f = tf.math.div(scale, count);
    Operand<TFloat32> slope = tf.math.mul(tf.math.mul(f, inverse), dWeight);
    return new InputFactors(
        tf.math.neg(slope), tf.math.sub(tf.math.mul(slope, mean), tf.math.mul(f, dBias)));
  }
}
