package dev.lenet.tf.stages;

import dev.lenet.api.spec.Activation;
import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.BatchNorm;
import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Pool2d;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which layers the convolution-stage fast path ({@link TfStageRun}) takes: runs of "convolution
 * (stride 1), batch normalization (optional), activation, 2x2 pool with stride 2" whose sizes tile
 * into space-to-depth blocks, and how each stage lays out its blocked filter.
 */
public final class TfStagePlan {

  private TfStagePlan() {}

  /**
   * One stage: the convolution, its batch normalization (null if none), its activation and its
   * pool, run at {@code block}.
   */
  public record Stage(
      LayerInfo conv, LayerInfo norm, LayerInfo activation, LayerInfo pool, int block) {

    /** The layers the stage takes: 3, or 4 with batch normalization. */
    public int layerCount() {
      return norm == null ? 3 : 4;
    }

    public Conv2d layer() {
      return (Conv2d) conv.layer();
    }

    /** Whether the pool averages (else it takes the max). */
    public boolean averages() {
      return pool.layer() instanceof AvgPool2d;
    }

    /** The blocked kernel's height, in blocks. */
    public int kernelHeight() {
      return (layer().kernelHeight() - 1) / block + 1;
    }

    public int kernelWidth() {
      return (layer().kernelWidth() - 1) / block + 1;
    }

    /** The blocked input's height, in blocks (the padded input's height / block). */
    public int inputHeight() {
      return height() + kernelHeight() - 1;
    }

    public int inputWidth() {
      return width() + kernelWidth() - 1;
    }

    /** The blocked output's height, in blocks. */
    public int height() {
      return conv.outputShape().height() / block;
    }

    public int width() {
      return conv.outputShape().width() / block;
    }

    public int inChannels() {
      return block * block * conv.inputShape().channels();
    }

    public int outChannels() {
      return block * block * layer().filters();
    }
  }

  /** Consecutive stages; the first takes NHWC images (padding them), the others blocked ones. */
  public record Plan(List<Stage> stages) {
    public int layerCount() {
      return stages.stream().mapToInt(Stage::layerCount).sum();
    }
  }

  /**
   * A one-line description of a plan for reports, e.g. {@code layers 1-6 as 2 stages (blocks 4,
   * 2)}.
   */
  public static String describe(Plan plan) {
    List<Stage> stages = plan.stages();
    int first = stages.get(0).conv().number();
    int last = stages.get(stages.size() - 1).pool().number();
    List<String> blocks = stages.stream().map(s -> String.valueOf(s.block())).toList();
    return "layers "
        + first
        + "-"
        + last
        + " as "
        + stages.size()
        + (stages.size() == 1 ? " stage" : " stages")
        + " (blocks "
        + String.join(", ", blocks)
        + ")";
  }

  /**
   * The longest run of stages starting at {@code layers.get(from)} that can run blocked, or empty.
   * With {@code m} stages the first runs at block {@code 2^m}, the last at 2.
   */
  public static Optional<Plan> planAt(List<LayerInfo> layers, int from) {
    List<LayerInfo[]> candidates = new ArrayList<>();
    int i = from;
    while (true) {
      int length = stageLength(layers, i, i == from);
      if (length == 0) {
        break;
      }
      candidates.add(
          new LayerInfo[] {
            layers.get(i),
            length == 4 ? layers.get(i + 1) : null,
            layers.get(i + length - 2),
            layers.get(i + length - 1)
          });
      i += length;
    }
    for (int m = candidates.size(); m > 0; m--) {
      List<Stage> stages = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        LayerInfo[] c = candidates.get(j);
        int block = 1 << (m - j);
        if (!fits(c[0], block)) {
          break;
        }
        stages.add(new Stage(c[0], c[1], c[2], c[3], block));
      }
      if (stages.size() == m) {
        return Optional.of(new Plan(List.copyOf(stages)));
      }
    }
    return Optional.empty();
  }

  /**
   * The number of layers of the stage at {@code i} (3, or 4 with batch normalization), or 0 if none
   * starts there: convolution (stride 1; padded only if first), batch normalization (optional),
   * activation, 2x2 pool (average or max), stride 2.
   */
  private static int stageLength(List<LayerInfo> layers, int i, boolean first) {
    if (i + 2 >= layers.size()
        || !(layers.get(i).layer() instanceof Conv2d c)
        || c.strideHeight() != 1
        || c.strideWidth() != 1
        || !(first || (c.paddingHeight() == 0 && c.paddingWidth() == 0))) {
      return 0;
    }
    int a = layers.get(i + 1).layer() instanceof BatchNorm ? i + 2 : i + 1;
    return a + 1 < layers.size()
            && layers.get(a).layer() instanceof Activation
            && layers.get(a + 1).layer() instanceof Pool2d p
            && p.kernelHeight() == 2
            && p.kernelWidth() == 2
            && p.strideHeight() == 2
            && p.strideWidth() == 2
        ? a + 2 - i
        : 0;
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

  /**
   * For each output position {@code (i, j)} and kernel offset {@code (a, e)}, in that order, the
   * blocked input position the patch row reads: {@code (i + a) * wb + j + e}.
   */
  static int[] sources(Stage s) {
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
  public static int[] filterIndex(Stage s) {
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
