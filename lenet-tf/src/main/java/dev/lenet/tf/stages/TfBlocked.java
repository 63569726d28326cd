package dev.lenet.tf.stages;

import dev.lenet.tf.stages.TfStagePlan.Stage;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/** The blocked layout's ops for one stage of {@link TfStageRun}, one tower at a time. */
final class TfBlocked {

  private TfBlocked() {}

  /**
   * The stage's blocked filter {@code [kh' * kw' * B*B*Cin, B*B*Cout]}: the layer's HWIO {@code
   * weight} scattered by {@code index} ({@link TfStagePlan#filterIndex}), zeros where the blocked
   * kernel reaches past the layer's.
   */
  static Operand<TFloat32> filter(
      Ops tf, Stage s, Operand<TFloat32> weight, Operand<TInt32> index) {
    return tf.reshape(
        tf.gather(
            tf.concat(
                List.of(
                    tf.reshape(weight, tf.constant(new int[] {-1})), tf.constant(new float[] {0f})),
                tf.constant(0)),
            index,
            tf.constant(0)),
        tf.constant(
            new long[] {s.kernelHeight() * s.kernelWidth() * s.inChannels(), s.outChannels()}));
  }

  /**
   * The blocked kernel's neighbourhood of every output position, one row each: {@code [n * Ho/B *
   * Wo/B, kh' * kw' * B*B*Cin]}, in the order of a reshaped HWIO filter. The convolution is then
   * one matrix product, about 2x faster here than oneDNN's convolution of the same shapes. The rows
   * are gathered position by position (whole blocks of channels) from the blocked input {@code z}.
   */
  static Operand<TFloat32> patches(Ops tf, Stage s, Operand<TFloat32> z) {
    Operand<TFloat32> positions =
        tf.reshape(
            z,
            tf.constant(new long[] {-1, (long) s.inputHeight() * s.inputWidth(), s.inChannels()}));
    return tf.reshape(
        tf.gather(positions, tf.constant(TfStagePlan.sources(s)), tf.constant(1)),
        tf.constant(new long[] {-1, (long) s.kernelHeight() * s.kernelWidth() * s.inChannels()}));
  }

  /**
   * TensorFlow's space-to-depth order, written as a reshape and a transpose: 2.5x faster here than
   * the {@code SpaceToDepth} op on a one-channel image.
   */
  static Operand<TFloat32> spaceToDepth(Ops tf, Stage s, Operand<TFloat32> padded) {
    long b = s.block();
    long hb = s.inputHeight();
    long wb = s.inputWidth();
    long c = s.conv().inputShape().channels();
    return tf.reshape(
        tf.linalg.transpose(
            tf.reshape(padded, tf.constant(new long[] {-1, hb, b, wb, b, c})),
            tf.constant(new int[] {0, 1, 3, 2, 4, 5})),
        tf.constant(new long[] {-1, hb, wb, b * b * c}));
  }

  /**
   * The 2x2 pool of a stage's blocked values (its activations, or its products where it activates
   * after the pool): the mean (or max) of the four channel groups, one per pixel of each window.
   */
  static Operand<TFloat32> pool(Ops tf, Stage s, Operand<TFloat32> act) {
    Operand<TFloat32> windows = windows(tf, s, act);
    return s.averages() ? tf.math.mean(windows, tf.constant(3)) : tf.max(windows, tf.constant(3));
  }

  /** A stage's pooled values as {@code [n, h, w, 4, Q*Q*Cout]}: the four pixels of each window. */
  static Operand<TFloat32> windows(Ops tf, Stage s, Operand<TFloat32> act) {
    return tf.reshape(
        act, tf.constant(new long[] {-1, s.height(), s.width(), 4, s.outChannels() / 4}));
  }

  /**
   * The gradient of the values a stage pooled ({@code act}) from that of its pool {@code d}: a
   * quarter to each pixel of an average's window; all of it to the first largest pixel of a max's
   * window (the pixel {@code MaxPoolGrad} picks: windows are scanned row by row, as the groups are
   * ordered). {@code pooled} must be {@link #pool} of this same {@code act}: the max's gradient
   * takes the last pixel to be the largest when the three before it are below {@code pooled}.
   */
  static Operand<TFloat32> poolGradient(
      Ops tf, Stage s, Operand<TFloat32> act, Operand<TFloat32> pooled, Operand<TFloat32> d) {
    Operand<TFloat32> spread;
    if (s.averages()) {
      spread = tf.tile(tf.math.mul(d, tf.constant(0.25f)), tf.constant(new int[] {1, 1, 1, 4}));
    } else {
      // To the first largest pixel. With open(r) = d while pixels 0..r are all below the
      // window's max, else 0, pixel r gets open(r - 1) - open(r) (open(-1) = d), and pixel 3 what
      // is still open: differences of d and zeros, so exactly d or zero. (Testing each pixel for
      // equality as well takes twice the ops; ArgMax and Cumsum along this axis are several times
      // slower here.)
      List<Output<TFloat32>> pixels = tf.split(tf.constant(3), windows(tf, s, act), 4L).output();
      Operand<TInt64> window =
          tf.constant(new long[] {-1, s.height(), s.width(), 1, s.outChannels() / 4});
      Operand<TFloat32> max = tf.reshape(pooled, window);
      Operand<TFloat32> open = tf.reshape(d, window);
      List<Operand<TFloat32>> parts = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        Operand<TFloat32> still =
            tf.math.mul(open, tf.dtypes.cast(tf.math.less(pixels.get(r), max), TFloat32.class));
        parts.add(tf.math.sub(open, still));
        open = still;
      }
      parts.add(open);
      spread = tf.concat(parts, tf.constant(3));
    }
    return tf.reshape(spread, tf.constant(new long[] {-1, s.outChannels()}));
  }

  /**
   * The gradient of a stage's blocked input, {@code [n, hb, wb, B*B*Cin]}: every patch row's
   * gradient (one matrix product with the filter), then each kernel offset's part of it summed onto
   * the position it was gathered from, in one segment sum whose segment is the example's position
   * ({@code example * hb * wb + source}), so that no transpose is needed. About 30% faster here
   * than oneDNN's input gradient of the blocked convolution and its two transposes; the batch-major
   * segments save another 0.3 ms of a step's thread time over positions moved to the front.
   */
  static Operand<TFloat32> inputGradient(
      Ops tf, Stage s, Operand<TFloat32> filter, Operand<TFloat32> dPre) {
    long positions = (long) s.height() * s.width();
    int c = s.inChannels();
    int hb = s.inputHeight();
    int wb = s.inputWidth();
    Operand<TFloat32> rows = tf.linalg.matMul(dPre, filter, MatMul.transposeB(true));
    Operand<TInt32> n =
        tf.math.div(
            tf.gather(tf.shape(dPre), tf.constant(0), tf.constant(0)),
            tf.constant((int) positions));
    Operand<TInt32> first =
        tf.reshape(
            tf.math.mul(tf.range(tf.constant(0), n, tf.constant(1)), tf.constant(hb * wb)),
            tf.constant(new int[] {-1, 1}));
    int[] sources = TfStagePlan.sources(s);
    Operand<TInt32> segments =
        tf.reshape(
            tf.math.add(first, tf.constant(new int[][] {sources})), tf.constant(new int[] {-1}));
    Operand<TFloat32> summed =
        tf.math.unsortedSegmentSum(
            tf.reshape(rows, tf.constant(new long[] {-1, c})),
            segments,
            tf.math.mul(n, tf.constant(hb * wb)));
    return tf.reshape(summed, tf.constant(new long[] {-1, hb, wb, c}));
  }
}
