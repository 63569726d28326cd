package dev.lenet.tf;

import dev.lenet.api.spec.Activation;
import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Pool2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Runs of "convolution, activation, 2x2 pool" stages (LeNet's feature extractor) computed as matrix
 * products over space-to-depth images: they run near the cores' peak, where oneDNN's convolutions
 * for LeNet's 1, 6 and 16 channels reach a fraction of it.
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
 * gradients against the plain graph's reference implementation.
 */
final class TfBlocked {

  /** Set to {@code false} to compile every layer on its own (for comparisons). */
  static final String PROPERTY = "lenet.tf.spaceToDepth";

  private TfBlocked() {}

  /** One stage: the convolution, its activation and its pool, run at {@code block}. */
  record Stage(LayerInfo conv, LayerInfo activation, LayerInfo pool, int block) {
    Conv2d layer() {
      return (Conv2d) conv.layer();
    }

    /** Whether the pool averages (else it takes the max). */
    boolean averages() {
      return pool.layer() instanceof AvgPool2d;
    }

    /** The blocked kernel's height, in blocks. */
    int kernelHeight() {
      return (layer().kernelHeight() - 1) / block + 1;
    }

    int kernelWidth() {
      return (layer().kernelWidth() - 1) / block + 1;
    }

    /** The blocked input's height, in blocks (the padded input's height / block). */
    int inputHeight() {
      return height() + kernelHeight() - 1;
    }

    int inputWidth() {
      return width() + kernelWidth() - 1;
    }

    /** The blocked output's height, in blocks. */
    int height() {
      return conv.outputShape().height() / block;
    }

    int width() {
      return conv.outputShape().width() / block;
    }

    int inChannels() {
      return block * block * conv.inputShape().channels();
    }

    int outChannels() {
      return block * block * layer().filters();
    }
  }

  /** Consecutive stages; the first takes NHWC images (padding them), the others blocked ones. */
  record Plan(List<Stage> stages) {
    int layerCount() {
      return 3 * stages.size();
    }
  }

  /** What the forward pass of one stage kept for the backward pass. */
  record StageTrace(
      Stage stage,
      Operand<TFloat32> patches,
      Operand<TFloat32> filter,
      Operand<TInt32> gatherIndex,
      Operand<TFloat32> activated,
      Operand<TFloat32> pooled) {}

  /** A run of stages in a forward pass. */
  record Applied(List<StageTrace> stages, Operand<TFloat32> output) implements TfNetwork.Part {
    @Override
    public boolean hasParameters() {
      return true;
    }
  }

  static boolean enabled() {
    return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
  }

  /**
   * The longest run of stages starting at {@code layers.get(from)} that can run blocked, or empty.
   * With {@code m} stages the first runs at block {@code 2^m}, the last at 2.
   */
  static Optional<Plan> planAt(List<LayerInfo> layers, int from) {
    List<LayerInfo[]> candidates = new ArrayList<>();
    for (int i = from; i + 2 < layers.size(); i += 3) {
      if (!isStage(layers, i, i == from)) {
        break;
      }
      candidates.add(new LayerInfo[] {layers.get(i), layers.get(i + 1), layers.get(i + 2)});
    }
    for (int m = candidates.size(); m > 0; m--) {
      List<Stage> stages = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        LayerInfo[] c = candidates.get(j);
        int block = 1 << (m - j);
        if (!fits(c[0], block)) {
          break;
        }
        stages.add(new Stage(c[0], c[1], c[2], block));
      }
      if (stages.size() == m) {
        return Optional.of(new Plan(List.copyOf(stages)));
      }
    }
    return Optional.empty();
  }

  /**
   * Convolution (stride 1; padded only if first), activation, 2x2 pool (average or max), stride 2.
   */
  private static boolean isStage(List<LayerInfo> layers, int i, boolean first) {
    return layers.get(i).layer() instanceof Conv2d c
        && c.strideHeight() == 1
        && c.strideWidth() == 1
        && (first || (c.paddingHeight() == 0 && c.paddingWidth() == 0))
        && layers.get(i + 1).layer() instanceof Activation
        && layers.get(i + 2).layer() instanceof Pool2d p
        && p.kernelHeight() == 2
        && p.kernelWidth() == 2
        && p.strideHeight() == 2
        && p.strideWidth() == 2;
  }

  /**
   * Whether the kernel spans whole blocks past its first pixel and the output tiles into blocks.
   */
  private static boolean fits(LayerInfo conv, int block) {
    Conv2d c = (Conv2d) conv.layer();
    var out = conv.outputShape();
    return (c.kernelHeight() - 1) % block == 0
        && (c.kernelWidth() - 1) % block == 0
        && out.height() % block == 0
        && out.width() % block == 0;
  }

  /** The forward pass of {@code plan} on NHWC {@code x}; ends in NHWC. */
  static Applied forward(Ops tf, TfNetwork network, Plan plan, Operand<TFloat32> x) {
    Stage first = plan.stages().get(0);
    Operand<TFloat32> z =
        spaceToDepth(tf, first, TfNetwork.padded(tf, first.layer(), first.conv().inputShape(), x));
    List<StageTrace> traces = new ArrayList<>();
    for (Stage s : plan.stages()) {
      int b = s.block();
      String p = "layer" + s.conv().number();
      Operand<TInt32> index = tf.constant(filterIndex(s));
      Operand<TFloat32> filter =
          tf.reshape(
              tf.gather(
                  tf.concat(
                      List.of(
                          tf.reshape(network.variable(p + ".weight"), tf.constant(new int[] {-1})),
                          tf.constant(new float[] {0f})),
                      tf.constant(0)),
                  index,
                  tf.constant(0)),
              tf.constant(
                  new long[] {
                    s.kernelHeight() * s.kernelWidth() * s.inChannels(), s.outChannels()
                  }));
      Operand<TFloat32> bias =
          tf.tile(network.variable(p + ".bias"), tf.constant(new int[] {b * b}));
      Operand<TFloat32> patches = patches(tf, s, z);
      Operand<TFloat32> pre = tf.nn.biasAdd(tf.linalg.matMul(patches, filter), bias);
      Operand<TFloat32> act = TfNetwork.activation(tf, (Activation) s.activation().layer(), pre);
      z = pool(tf, s, act);
      traces.add(new StageTrace(s, patches, filter, index, act, z));
    }
    LayerInfo last = plan.stages().get(plan.stages().size() - 1).pool();
    TfNetwork.checkShape(last, z);
    return new Applied(List.copyOf(traces), z);
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
        tf.gather(positions, tf.constant(sources(s)), tf.constant(1)),
        tf.constant(new long[] {-1, (long) s.kernelHeight() * s.kernelWidth() * s.inChannels()}));
  }

  /**
   * For each output position {@code (i, j)} and kernel offset {@code (a, e)}, in that order, the
   * blocked input position the patch row reads: {@code (i + a) * wb + j + e}.
   */
  private static int[] sources(Stage s) {
    int wb = s.inputWidth();
    int[] index = new int[s.height() * s.width() * s.kernelHeight() * s.kernelWidth()];
    int k = 0;
    for (int i = 0; i < s.height(); i++) {
      for (int j = 0; j < s.width(); j++) {
        for (int a = 0; a < s.kernelHeight(); a++) {
          for (int e = 0; e < s.kernelWidth(); e++) {
            index[k++] = (i + a) * wb + j + e;
          }
        }
      }
    }
    return index;
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
  static Operand<TFloat32> backward(
      Ops tf,
      Applied applied,
      Operand<TFloat32> dy,
      boolean needInput,
      Map<String, Operand<TFloat32>> grads) {
    List<StageTrace> stages = applied.stages();
    Operand<TFloat32> d = dy;
    for (int j = stages.size() - 1; j >= 0; j--) {
      StageTrace t = stages.get(j);
      Stage s = t.stage();
      Conv2d c = s.layer();
      String p = "layer" + s.conv().number();
      Operand<TFloat32> dAct = poolGradient(tf, s, t.activated(), t.pooled(), d);
      Operand<TFloat32> dPre =
          TfBackprop.activationGradient(
              tf, (Activation) s.activation().layer(), t.activated(), dAct);
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
      grads.put(
          p + ".weight",
          tf.reshape(
              dWeight,
              tf.constant(new long[] {c.kernelHeight(), c.kernelWidth(), cin, c.filters()})));
      grads.put(
          p + ".bias",
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
    return TfBackprop.unpadded(
        tf, first.layer(), first.conv().inputShape(), tf.nn.depthToSpace(d, (long) first.block()));
  }

  /**
   * The gradient of a stage's blocked input, {@code [n, hb, wb, B*B*Cin]}: every patch row's
   * gradient (one matrix product with the filter), then each kernel offset's part of it summed onto
   * the position it was gathered from (a segment sum, over positions moved to the front). About 30%
   * faster here than oneDNN's input gradient of the blocked convolution and its two transposes.
   */
  private static Operand<TFloat32> inputGradient(
      Ops tf, Stage s, Operand<TFloat32> filter, Operand<TFloat32> dPre) {
    int k = s.kernelHeight() * s.kernelWidth();
    int c = s.inChannels();
    int hb = s.inputHeight();
    int wb = s.inputWidth();
    Operand<TFloat32> rows = tf.linalg.matMul(dPre, filter, MatMul.transposeB(true));
    Operand<TFloat32> byOffset =
        tf.linalg.transpose(
            tf.reshape(rows, tf.constant(new long[] {-1, (long) s.height() * s.width() * k, c})),
            tf.constant(new int[] {1, 0, 2}));
    Operand<TFloat32> summed =
        tf.linalg.transpose(
            tf.math.unsortedSegmentSum(byOffset, tf.constant(sources(s)), tf.constant(hb * wb)),
            tf.constant(new int[] {1, 0, 2}));
    return tf.reshape(summed, tf.constant(new long[] {-1, hb, wb, c}));
  }

  /**
   * For each element of the blocked filter {@code [Kh', Kw', B*B*Cin, B*B*Cout]}, the index of the
   * element of the layer's HWIO filter it holds, or the filter's size (a zero) where the blocked
   * kernel reaches past the layer's.
   *
   * <p>Input channel {@code (dy*B + dx)*Cin + ci} is pixel (dy, dx) of a block (TensorFlow's
   * space-to-depth order); output channel {@code ((ry*2 + rx)*Q*Q + qy*Q + qx)*Cout + co} with
   * {@code Q = B/2} is output pixel {@code (2qy + ry, 2qx + rx)} of a block, so that the four
   * pixels (ry, rx) of each pooling window are four contiguous groups and what remains after the
   * pool is in space-to-depth order for {@code Q}.
   */
  static int[] filterIndex(Stage s) {
    int kh = s.layer().kernelHeight();
    int kw = s.layer().kernelWidth();
    int cin = s.conv().inputShape().channels();
    int cout = s.layer().filters();
    int b = s.block();
    int q = b / 2;
    int khb = s.kernelHeight();
    int kwb = s.kernelWidth();
    int inC = s.inChannels();
    int outC = s.outChannels();
    int zero = kh * kw * cin * cout;
    int[] index = new int[khb * kwb * inC * outC];
    for (int a = 0; a < khb; a++) {
      for (int e = 0; e < kwb; e++) {
        for (int i = 0; i < inC; i++) {
          int dy = i / cin / b;
          int dx = i / cin % b;
          int ci = i % cin;
          for (int o = 0; o < outC; o++) {
            int r = o / cout / (q * q);
            int qq = o / cout % (q * q);
            int py = 2 * (qq / q) + r / 2;
            int px = 2 * (qq % q) + r % 2;
            int co = o % cout;
            int ky = a * b + dy - py;
            int kx = e * b + dx - px;
            boolean inside = ky >= 0 && ky < kh && kx >= 0 && kx < kw;
            index[((a * kwb + e) * inC + i) * outC + o] =
                inside ? ((ky * kw + kx) * cin + ci) * cout + co : zero;
          }
        }
      }
    }
    return index;
  }
}
