package dev.lenet.tf.layers;

import dev.lenet.api.spec.Dropout;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * {@link Dropout}: the identity in inference; in training the input times a mask of {@code 0} and
 * {@code 1 / (1 - rate)}. The mask is drawn for the whole batch by a stateless generator keyed on
 * the seed, the layer and the step ({@link #mask}), and each tower takes its rows: the same step
 * drops the same elements however the batch is split (the mask is drawn once per step), and a
 * resumed run draws what the uninterrupted one drew.
 */
public final class TfDropout implements TfLayer {

  private final LayerInfo info;
  private final Dropout dropout;

  TfDropout(LayerInfo info, TfVariables vars) {
    this.info = info;
    this.dropout = (Dropout) info.layer();
  }

  @Override
  public boolean hasParameters() {
    return false;
  }

  /** Each tower's input times its rows of one mask for the whole batch (inference: no mask). */
  @Override
  public Applied apply(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass) {
    inputs.forEach(x -> TfShapes.check(info, x));
    if (!pass.training()) {
      return Applied.inference(inputs);
    }
    Operand<TFloat32> all =
        mask(tf, dropout.rate(), info.inputShape(), pass.batchSize(), key(tf, pass));
    List<Operand<TFloat32>> masks = new ArrayList<>();
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (int t = 0; t < inputs.size(); t++) {
      Operand<TFloat32> rows = rowsOf(tf, all, pass.towerOffsets().get(t), inputs.get(t));
      masks.add(rows);
      outputs.add(tf.math.mul(inputs.get(t), rows));
    }
    return new Applied() {
      @Override
      public List<Operand<TFloat32>> outputs() {
        return outputs;
      }

      @Override
      public List<Operand<TFloat32>> backward(
          Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads) {
        if (!needInput) {
          return null;
        }
        List<Operand<TFloat32>> dx = new ArrayList<>();
        for (int t = 0; t < dy.size(); t++) {
          dx.add(tf.math.mul(dy.get(t), masks.get(t)));
        }
        return dx;
      }
    };
  }

  /** The generator's key: {@code [seed * 1000003 + layer, step]}. */
  private Operand<TInt64> key(Ops tf, TfPass pass) {
    long stream = pass.seed() * 1_000_003L + info.number();
    return tf.concat(
        List.of(
            tf.constant(new long[] {stream}), tf.reshape(pass.step(), tf.constant(new int[] {1}))),
        tf.constant(0));
  }

  /**
   * The scaled mask for {@code batch} examples of {@code shape}: each element {@code 1 / (1 -
   * rate)} where a uniform draw from TensorFlow's stateless generator with {@code key} is at least
   * {@code rate}, else 0. A pure function of its arguments.
   */
  public static Operand<TFloat32> mask(
      Ops tf, double rate, Shape shape, Operand<TInt32> batch, Operand<TInt64> key) {
    List<Operand<TInt32>> dims = new ArrayList<>();
    dims.add(tf.reshape(batch, tf.constant(new int[] {1})));
    dims.add(tf.constant(nhwcDims(shape)));
    Operand<TFloat32> uniform =
        tf.random.statelessRandomUniform(tf.concat(dims, tf.constant(0)), key, TFloat32.class);
    Operand<TFloat32> kept =
        tf.dtypes.cast(tf.math.greaterEqual(uniform, tf.constant((float) rate)), TFloat32.class);
    return tf.math.mul(kept, tf.constant((float) (1 / (1 - rate))));
  }

  /** The rows {@code [offset, offset + batch of x)} of the whole batch's mask. */
  private static Operand<TFloat32> rowsOf(
      Ops tf, Operand<TFloat32> all, Operand<TInt32> offset, Operand<TFloat32> x) {
    int rank = x.shape().numDimensions();
    int[] zeros = new int[rank - 1];
    int[] rest = new int[rank - 1];
    java.util.Arrays.fill(rest, -1);
    Operand<TInt32> begin =
        tf.concat(
            List.of(tf.reshape(offset, tf.constant(new int[] {1})), tf.constant(zeros)),
            tf.constant(0));
    Operand<TInt32> size =
        tf.concat(
            List.of(
                tf.gather(tf.shape(x), tf.constant(new int[] {0}), tf.constant(0)),
                tf.constant(rest)),
            tf.constant(0));
    return tf.slice(all, begin, size);
  }

  /** An example's dimensions as TensorFlow holds them: {@code (H, W, C)} or {@code (F)}. */
  private static int[] nhwcDims(Shape s) {
    return s.isImage() ? new int[] {s.height(), s.width(), s.channels()} : new int[] {s.dim(0)};
  }
}
