package dev.lenet.tf.stages;

import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.tf.layers.TfActivation;
import dev.lenet.tf.layers.TfConv2d;
import dev.lenet.tf.layers.TfFusedProduct;
import dev.lenet.tf.layers.TfGradients;
import dev.lenet.tf.layers.TfLayer;
import dev.lenet.tf.layers.TfLayers;
import dev.lenet.tf.layers.TfPass;
import dev.lenet.tf.layers.TfShapes;
import dev.lenet.tf.layers.TfVariables;
import dev.lenet.tf.stages.TfStagePlan.Plan;
import dev.lenet.tf.stages.TfStagePlan.Stage;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * The convolution-stage fast path: a run of "convolution, activation, 2x2 pool" stages (LeNet's
 * feature extractor, planned by {@link TfStagePlan}) computed as matrix products over
 * space-to-depth images. They run near the cores' peak, where oneDNN's convolutions for LeNet's 1,
 * 6 and 16 channels reach a fraction of it.
 *
 * <p>A stage with block size {@code B} sees its input as {@code [n, H/B, W/B, B*B*C]}: each B x B
 * block of pixels is one position with all its pixels' channels. Its convolution becomes a smaller
 * kernel ({@code (K-1)/B + 1} wide) over many more channels, which computes every output pixel of a
 * block at once; the filter is the layer's own filter scattered into that shape (a gather, whose
 * gradient is a segment sum). The output channels are ordered so that the 2x2 pool (average or max)
 * reduces four contiguous channel groups, which leaves the pooled image blocked by {@code B/2}:
 * exactly what the next stage of the run takes. The last stage has {@code B = 2}, so the run ends
 * in plain NHWC.
 *
 * <p>The arithmetic is the layers' own, summed in a different order; tests check forward values and
 * gradients against the plain graph's reference implementation. Towers are computed independently.
 */
public final class TfStageRun implements TfLayer {

  private final Plan plan;
  private final TfVariables vars;
  private final boolean fused;
  private final List<TfActivation> activations = new ArrayList<>();

  /**
   * @param fused whether each convolution's product, bias and activation run as one fused kernel
   *     (see {@link TfFusedProduct})
   */
  public TfStageRun(Plan plan, TfVariables vars, boolean fused) {
    this.plan = plan;
    this.vars = vars;
    this.fused = fused;
    for (Stage s : plan.stages()) {
      if (!(TfLayers.create(s.activation(), vars) instanceof TfActivation a)) {
        throw new IllegalStateException(
            "layer " + s.activation().number() + " is not an element-wise activation");
      }
      activations.add(a);
    }
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  /** One tower's forward pass: each stage's trace, and the run's NHWC output. */
  private record Tower(List<StageTrace> stages, Operand<TFloat32> output) {}

  @Override
  public Applied apply(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass) {
    List<Tower> towers = new ArrayList<>();
    for (Operand<TFloat32> x : inputs) {
      towers.add(forward(tf, x, pass));
    }
    return new Applied() {
      @Override
      public List<Operand<TFloat32>> outputs() {
        return towers.stream().map(Tower::output).toList();
      }

      @Override
      public List<Operand<TFloat32>> backward(
          Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads) {
        List<Operand<TFloat32>> dx = new ArrayList<>();
        for (int t = 0; t < towers.size(); t++) {
          dx.add(TfStageRun.this.backward(tf, towers.get(t), dy.get(t), needInput, grads));
        }
        return needInput ? dx : null;
      }
    };
  }

  /** What the forward pass of one stage kept for the backward pass. */
  private record StageTrace(
      Stage stage,
      Operand<TFloat32> patches,
      Operand<TFloat32> filter,
      Operand<TInt32> gatherIndex,
      Operand<TFloat32> activated,
      Operand<TFloat32> pooled) {}

  /** One tower's forward pass on NHWC {@code x}, reading the weights as {@code pass} does. */
  private Tower forward(Ops tf, Operand<TFloat32> x, TfPass pass) {
    Stage first = plan.stages().get(0);
    Operand<TFloat32> z =
        spaceToDepth(tf, first, TfConv2d.padded(tf, first.layer(), first.conv().inputShape(), x));
    List<StageTrace> traces = new ArrayList<>();
    for (Stage s : plan.stages()) {
      int b = s.block();
      TfVariables.OfLayer params = vars.of(s.conv().number());
      Operand<TInt32> index = tf.constant(TfStagePlan.filterIndex(s));
      Operand<TFloat32> filter =
          tf.reshape(
              tf.gather(
                  tf.concat(
                      List.of(
                          tf.reshape(
                              pass.read(tf, params.get("weight")), tf.constant(new int[] {-1})),
                          tf.constant(new float[] {0f})),
                      tf.constant(0)),
                  index,
                  tf.constant(0)),
              tf.constant(
                  new long[] {
                    s.kernelHeight() * s.kernelWidth() * s.inChannels(), s.outChannels()
                  }));
      Operand<TFloat32> bias =
          tf.tile(pass.read(tf, params.get("bias")), tf.constant(new int[] {b * b}));
      Operand<TFloat32> patches = patches(tf, s, z);
      TfActivation activation = activations.get(traces.size());
      Operand<TFloat32> act =
          fused
              ? TfFusedProduct.apply(tf, patches, filter, bias, activation)
              : activation.activate(tf, tf.nn.biasAdd(tf.linalg.matMul(patches, filter), bias));
      z = pool(tf, s, act);
      traces.add(new StageTrace(s, patches, filter, index, act, z));
    }
    LayerInfo last = plan.stages().get(plan.stages().size() - 1).pool();
    TfShapes.check(last, z);
    return new Tower(List.copyOf(traces), z);
  }

  /**
   * The blocked kernel's neighbourhood of every output position, one row each: {@code [n * Ho/B *
   * Wo/B, kh' * kw' * B*B*Cin]}, in the order of a reshaped HWIO filter. The convolution is then
   * one matrix product, about 2x faster here than oneDNN's convolution of the same shapes. The rows
   * are gathered position by position (whole blocks of channels) from the blocked input {@code z}.
   */
  private static Operand<TFloat32> patches(Ops tf, Stage s, Operand<TFloat32> z) {
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
  private static Operand<TFloat32> spaceToDepth(Ops tf, Stage s, Operand<TFloat32> padded) {
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
   * The 2x2 pool: the mean (or max) of the four channel groups, one per pixel of each 2x2 window.
   */
  private static Operand<TFloat32> pool(Ops tf, Stage s, Operand<TFloat32> act) {
    Operand<TFloat32> windows = windows(tf, s, act);
    return s.averages() ? tf.math.mean(windows, tf.constant(3)) : tf.max(windows, tf.constant(3));
  }

  /** A stage's activations as {@code [n, h, w, 4, Q*Q*Cout]}: the four pixels of each window. */
  private static Operand<TFloat32> windows(Ops tf, Stage s, Operand<TFloat32> act) {
    return tf.reshape(
        act, tf.constant(new long[] {-1, s.height(), s.width(), 4, s.outChannels() / 4}));
  }

  /**
   * The gradient of a stage's activations from that of its pool's output {@code d}: a quarter to
   * each pixel of an average's window; all of it to the first largest pixel of a max's window (the
   * pixel {@code MaxPoolGrad} picks: windows are scanned row by row, as the groups are ordered).
   */
  private static Operand<TFloat32> poolGradient(
      Ops tf, Stage s, Operand<TFloat32> act, Operand<TFloat32> pooled, Operand<TFloat32> d) {
    Operand<TFloat32> spread;
    if (s.averages()) {
      spread = tf.tile(tf.math.mul(d, tf.constant(0.25f)), tf.constant(new int[] {1, 1, 1, 4}));
    } else {
      // To the first pixel equal to the window's max: pixel r gets the gradient if it equals the
      // max and every earlier pixel is below it. (ArgMax and Cumsum along this axis are several
      // times slower here.)
      List<org.tensorflow.Output<TFloat32>> pixels =
          tf.split(tf.constant(3), windows(tf, s, act), 4L).output();
      Operand<TInt64> window =
          tf.constant(new long[] {-1, s.height(), s.width(), 1, s.outChannels() / 4});
      Operand<TFloat32> max = tf.reshape(pooled, window);
      Operand<TFloat32> dMax = tf.reshape(d, window);
      List<Operand<TFloat32>> parts = new ArrayList<>();
      Operand<TFloat32> open = dMax;
      for (int r = 0; r < 4; r++) {
        Operand<TFloat32> pixel = pixels.get(r);
        parts.add(tf.math.mul(open, tf.dtypes.cast(tf.math.equal(pixel, max), TFloat32.class)));
        if (r < 3) {
          open = tf.math.mul(open, tf.dtypes.cast(tf.math.less(pixel, max), TFloat32.class));
        }
      }
      spread = tf.concat(parts, tf.constant(3));
    }
    return tf.reshape(spread, tf.constant(new long[] {-1, s.outChannels()}));
  }

  /**
   * Gradients of the run's filters and biases, added to {@code grads}; returns the gradient of its
   * NHWC input if {@code needInput}, else null.
   */
  private Operand<TFloat32> backward(
      Ops tf, Tower tower, Operand<TFloat32> dy, boolean needInput, TfGradients grads) {
    List<StageTrace> stages = tower.stages();
    Operand<TFloat32> d = dy;
    for (int j = stages.size() - 1; j >= 0; j--) {
      StageTrace t = stages.get(j);
      Stage s = t.stage();
      Conv2d c = s.layer();
      TfVariables.OfLayer params = vars.of(s.conv().number());
      Operand<TFloat32> dAct = poolGradient(tf, s, t.activated(), t.pooled(), d);
      Operand<TFloat32> dPre = activations.get(j).gradient(tf, t.activated(), dAct);
      Operand<TFloat32> dFilter = tf.linalg.matMul(t.patches(), dPre, MatMul.transposeA(true));
      int cin = s.conv().inputShape().channels();
      int size = c.kernelHeight() * c.kernelWidth() * cin * c.filters();
      Operand<TFloat32> dWeight =
          tf.slice(
              tf.math.unsortedSegmentSum(
                  tf.reshape(dFilter, tf.constant(new int[] {-1})),
                  t.gatherIndex(),
                  tf.constant(size + 1)),
              tf.constant(new int[] {0}),
              tf.constant(new int[] {size}));
      grads.add(
          params.name("weight"),
          tf.reshape(
              dWeight,
              tf.constant(new long[] {c.kernelHeight(), c.kernelWidth(), cin, c.filters()})));
      grads.add(
          params.name("bias"),
          tf.sum(
              tf.reshape(
                  tf.sum(dPre, tf.constant(0)),
                  tf.constant(new long[] {(long) s.block() * s.block(), c.filters()})),
              tf.constant(0)));
      if (j > 0 || needInput) {
        d = inputGradient(tf, s, t.filter(), dPre);
      }
    }
    if (!needInput) {
      return null;
    }
    Stage first = stages.get(0).stage();
    return TfConv2d.unpadded(
        tf, first.layer(), first.conv().inputShape(), tf.nn.depthToSpace(d, (long) first.block()));
  }

  /**
   * The gradient of a stage's blocked input, {@code [n, hb, wb, B*B*Cin]}: every patch row's
   * gradient (one matrix product with the filter), then each kernel offset's part of it summed onto
   * the position it was gathered from, in one segment sum whose segment is the example's position
   * ({@code example * hb * wb + source}), so that no transpose is needed. About 30% faster here
   * than oneDNN's input gradient of the blocked convolution and its two transposes; the batch-major
   * segments save another 0.3 ms of a step's thread time over positions moved to the front.
   */
  private static Operand<TFloat32> inputGradient(
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
