package dev.lenet.tf.stages;

import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.tf.kernels.TfKernels;
import dev.lenet.tf.layers.TfActivation;
import dev.lenet.tf.layers.TfBatchNorm;
import dev.lenet.tf.layers.TfConv2d;
import dev.lenet.tf.layers.TfFusedProduct;
import dev.lenet.tf.layers.TfGradients;
import dev.lenet.tf.layers.TfLayer;
import dev.lenet.tf.layers.TfLayers;
import dev.lenet.tf.layers.TfPass;
import dev.lenet.tf.layers.TfPatchNorm;
import dev.lenet.tf.layers.TfShapes;
import dev.lenet.tf.layers.TfVariables;
import dev.lenet.tf.stages.TfStagePlan.Plan;
import dev.lenet.tf.stages.TfStagePlan.Stage;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
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
 * <p>A stage may have batch normalization between its convolution and activation. Its statistics
 * are per channel, which in the blocked layout is per column modulo {@code Cout}: the layer
 * normalizes the blocked products as rows of {@code B*B} groups of {@code Cout} ({@link
 * TfBatchNorm#applyToRows}), over both towers, which meet there as they do at the layer on its own.
 * When training with fused products a run that starts the network (no gradient of its input is
 * asked), the first stage's batch normalization is taken from its patches instead ({@link
 * TfPatchNorm}): its normalized products are one fused product with a scaled filter, and no
 * element-wise op runs on its rows, the widest of the run.
 *
 * <p>The arithmetic is the layers' own, summed in a different order; tests check forward values and
 * gradients against the plain graph's reference implementation. Without batch normalization the
 * towers are computed independently.
 */
public final class TfStageRun implements TfLayer {

  private final Plan plan;
  private final TfVariables vars;
  private final boolean fused;
  private final boolean nativeKernels;
  private final boolean startsNetwork;
  private final List<TfActivation> activations = new ArrayList<>();
  private final List<TfBatchNorm> norms = new ArrayList<>();

  /**
   * @param fused whether each convolution's product, bias and activation run as one fused kernel
   *     (see {@link TfFusedProduct}; the product and bias alone where batch normalization comes
   *     between or the stage activates after its pool)
   * @param nativeKernels whether the gradient through an average pool and its activation, that of a
   *     max pool, and a batch norm's scale, shift and input gradient on the products run as lenet's
   *     native kernels ({@link TfKernels}), which must be {@link TfKernels#available() available}
   * @param startsNetwork whether no layer before the run has parameters, so that the gradient of
   *     the run's input is never asked
   */
  public TfStageRun(
      Plan plan, TfVariables vars, boolean fused, boolean nativeKernels, boolean startsNetwork) {
    this.plan = plan;
    this.vars = vars;
    this.fused = fused;
    this.nativeKernels = nativeKernels;
    this.startsNetwork = startsNetwork;
    for (Stage s : plan.stages()) {
      if (!(TfLayers.create(s.activation(), vars) instanceof TfActivation a)) {
        throw new IllegalStateException(
            "layer " + s.activation().number() + " is not an element-wise activation");
      }
      activations.add(a);
      if (s.norm() == null) {
        norms.add(null);
      } else if (TfLayers.create(s.norm(), vars) instanceof TfBatchNorm n) {
        norms.add(n);
      } else {
        throw new IllegalStateException("layer " + s.norm().number() + " is not batch norm");
      }
    }
  }

  /**
   * Whether training takes the first stage's batch normalization from its patches ({@link
   * TfPatchNorm}): with fused products, where the run starts the network.
   */
  public boolean firstNormFromPatches() {
    return fused && startsNetwork && norms.get(0) != null;
  }

  /**
   * The stages whose gradient through the average pool and activation is one native kernel, each as
   * "activation-pool" layer numbers (empty without native kernels).
   */
  public List<String> nativePoolGradients() {
    List<String> layers = new ArrayList<>();
    for (Stage s : plan.stages()) {
      if (nativePoolGradient(s)) {
        layers.add(s.activation().number() + "-" + s.pool().number());
      }
    }
    return layers;
  }

  /** The stages whose max pool's gradient is one native kernel, by the pool's layer number. */
  public List<String> nativeMaxPoolGradients() {
    List<String> layers = new ArrayList<>();
    for (Stage s : plan.stages()) {
      if (nativeKernels && !s.averages()) {
        layers.add(String.valueOf(s.pool().number()));
      }
    }
    return layers;
  }

  /**
   * The stages whose batch norm, in training, scales and shifts its rows and takes their gradient
   * in native kernels, by the norm's layer number (not a first stage's taken from its patches).
   */
  public List<String> nativeNorms() {
    List<String> layers = new ArrayList<>();
    for (int j = 0; j < plan.stages().size(); j++) {
      Stage s = plan.stages().get(j);
      if (nativeKernels && s.norm() != null && !(j == 0 && firstNormFromPatches())) {
        layers.add(String.valueOf(s.norm().number()));
      }
    }
    return layers;
  }

  private boolean nativePoolGradient(Stage s) {
    return nativeKernels && s.averages();
  }

  /** {@link TfBlocked#poolGradient}, a max pool's as a native kernel with native kernels on. */
  private Operand<TFloat32> poolGradient(
      Ops tf, Stage s, Operand<TFloat32> in, Operand<TFloat32> pool, Operand<TFloat32> d) {
    if (!nativeKernels || s.averages()) {
      return TfBlocked.poolGradient(tf, s, in, pool, d);
    }
    Operand<TInt64> oneGroup = tf.constant(new long[] {-1, s.outChannels() / 4});
    return TfKernels.maxPoolGradient(
        tf,
        tf.reshape(in, tf.constant(new long[] {-1, s.outChannels()})),
        tf.reshape(pool, oneGroup),
        tf.reshape(d, oneGroup));
  }

  @Override
  public boolean hasParameters() {
    return true;
  }

  /**
   * What one stage's forward pass kept for the backward pass: its filter and gather index, each
   * tower's patches, the values it pooled and their pool, its outputs, and its batch normalization
   * (null if none, or if taken from the patches: then {@code patchNorm}). A stage that activates
   * after pooling ({@link #activatesAfterPool}) pooled its products and its outputs are the pools
   * activated; the others pooled their activations, and their outputs are those pools (the same
   * list).
   */
  private record StageTrace(
      Stage stage,
      Operand<TFloat32> filter,
      Operand<TInt32> gatherIndex,
      List<Operand<TFloat32>> patches,
      List<Operand<TFloat32>> poolInputs,
      List<Operand<TFloat32>> pools,
      List<Operand<TFloat32>> outputs,
      boolean activatedAfterPool,
      Applied norm,
      TfPatchNorm patchNorm) {}

  @Override
  public Applied apply(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass) {
    Stage first = plan.stages().get(0);
    List<Operand<TFloat32>> z = new ArrayList<>();
    for (Operand<TFloat32> x : inputs) {
      z.add(
          TfBlocked.spaceToDepth(
              tf, first, TfConv2d.padded(tf, first.layer(), first.conv().inputShape(), x)));
    }
    List<StageTrace> traces = new ArrayList<>();
    for (int j = 0; j < plan.stages().size(); j++) {
      StageTrace t = forward(tf, j, z, pass);
      traces.add(t);
      z = t.outputs();
    }
    LayerInfo last = plan.stages().get(plan.stages().size() - 1).pool();
    z.forEach(out -> TfShapes.check(last, out));
    List<Operand<TFloat32>> outputs = List.copyOf(z);
    List<Op> updates = new ArrayList<>();
    for (StageTrace t : traces) {
      if (t.norm() != null) {
        updates.addAll(t.norm().updates());
      }
      if (t.patchNorm() != null) {
        updates.addAll(t.patchNorm().updates());
      }
    }
    return new Applied() {
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
        return TfStageRun.this.backward(tf, traces, dy, needInput, grads);
      }
    };
  }

  /** Stage {@code j}'s forward pass on each tower's blocked input {@code z}. */
  private StageTrace forward(Ops tf, int j, List<Operand<TFloat32>> z, TfPass pass) {
    Stage s = plan.stages().get(j);
    TfVariables.OfLayer params = vars.of(s.conv().number());
    Operand<TInt32> index = tf.constant(TfStagePlan.filterIndex(s));
    Operand<TFloat32> filter = TfBlocked.filter(tf, s, pass.read(tf, params.get("weight")), index);
    Operand<TFloat32> bias =
        tf.tile(pass.read(tf, params.get("bias")), tf.constant(new int[] {s.block() * s.block()}));
    TfActivation activation = activations.get(j);
    TfBatchNorm norm = norms.get(j);
    boolean afterPool = activatesAfterPool(s, activation);
    List<Operand<TFloat32>> patches = new ArrayList<>();
    List<Operand<TFloat32>> pre = new ArrayList<>();
    List<Operand<TFloat32>> poolInputs = new ArrayList<>();
    boolean fromPatches = j == 0 && pass.training() && firstNormFromPatches();
    boolean fusedActivation = fused && (norm == null || fromPatches) && !afterPool;
    for (Operand<TFloat32> x : z) {
      patches.add(TfBlocked.patches(tf, s, x));
    }
    TfPatchNorm patchNorm =
        fromPatches
            ? norm.applyToPatches(tf, patches, filter, bias, s.block() * s.block(), pass)
            : null;
    // Normalized from the patches, the products are those of a scaled filter and bias.
    Operand<TFloat32> w = fromPatches ? patchNorm.filter() : filter;
    Operand<TFloat32> b = fromPatches ? patchNorm.bias() : bias;
    for (Operand<TFloat32> p : patches) {
      if (!fused) {
        pre.add(tf.nn.biasAdd(tf.linalg.matMul(p, w), b));
      } else if (fusedActivation) {
        poolInputs.add(TfFusedProduct.apply(tf, p, w, b, activation));
      } else {
        pre.add(TfFusedProduct.withBias(tf, p, w, b));
      }
    }
    Applied normalized =
        norm == null || fromPatches
            ? null
            : norm.applyToRows(tf, pre, s.block() * s.block(), pass, nativeKernels);
    if (!fusedActivation) {
      // The (normalized) products, activated unless the stage activates after its pool.
      for (Operand<TFloat32> y : normalized == null ? pre : normalized.outputs()) {
        poolInputs.add(afterPool ? y : activation.activate(tf, y));
      }
    }
    List<Operand<TFloat32>> pools = new ArrayList<>();
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    for (Operand<TFloat32> in : poolInputs) {
      Operand<TFloat32> pool = TfBlocked.pool(tf, s, in);
      pools.add(pool);
      outputs.add(afterPool ? activation.activate(tf, pool) : pool);
    }
    return new StageTrace(
        s,
        filter,
        index,
        List.copyOf(patches),
        List.copyOf(poolInputs),
        List.copyOf(pools),
        List.copyOf(outputs),
        afterPool,
        normalized,
        patchNorm);
  }

  /**
   * Whether a stage applies its activation to its pool rather than before it: a max pool's, where
   * the activation gives the same values and gradients that way ({@link
   * TfActivation#exactAfterMaxPool}), with the activation and its gradient on a quarter of the
   * values.
   */
  private static boolean activatesAfterPool(Stage s, TfActivation activation) {
    return !s.averages() && activation.exactAfterMaxPool();
  }

  /**
   * Gradients of the run's filters, biases and batch normalizations, added to {@code grads};
   * returns each tower's gradient of its NHWC input if {@code needInput}, else null.
   */
  private List<Operand<TFloat32>> backward(
      Ops tf,
      List<StageTrace> traces,
      List<Operand<TFloat32>> dy,
      boolean needInput,
      TfGradients grads) {
    List<Operand<TFloat32>> d = dy;
    for (int j = traces.size() - 1; j >= 0; j--) {
      StageTrace t = traces.get(j);
      Stage s = t.stage();
      List<Operand<TFloat32>> dOut = new ArrayList<>();
      TfActivation activation = activations.get(j);
      for (int k = 0; k < d.size(); k++) {
        Operand<TFloat32> in = t.poolInputs().get(k);
        Operand<TFloat32> pool = t.pools().get(k);
        if (t.activatedAfterPool()) {
          Operand<TFloat32> dPool = activation.gradient(tf, t.outputs().get(k), d.get(k));
          dOut.add(poolGradient(tf, s, in, pool, dPool));
        } else if (nativePoolGradient(s)) {
          dOut.add(
              TfKernels.avgPoolActivationGradient(
                  tf,
                  activation.fusedName(),
                  tf.reshape(in, tf.constant(new long[] {-1, s.outChannels()})),
                  tf.reshape(d.get(k), tf.constant(new long[] {-1, s.outChannels() / 4}))));
        } else {
          dOut.add(activation.gradient(tf, in, poolGradient(tf, s, in, pool, d.get(k))));
        }
      }
      if (t.patchNorm() != null) {
        if (j > 0 || needInput) {
          throw new IllegalStateException(
              "a stage normalized from its patches has no input gradient");
        }
        TfPatchNorm.Gradients g = t.patchNorm().backward(tf, dOut, grads);
        addGradients(tf, t, g.filter(), g.bias(), grads);
        return null;
      }
      List<Operand<TFloat32>> dPre =
          t.norm() == null ? dOut : t.norm().backward(tf, dOut, true, grads);
      List<Operand<TFloat32>> dIn = new ArrayList<>();
      for (int k = 0; k < d.size(); k++) {
        Operand<TFloat32> dp = dPre.get(k);
        addGradients(
            tf,
            t,
            tf.linalg.matMul(t.patches().get(k), dp, MatMul.transposeA(true)),
            tf.sum(dp, tf.constant(0)),
            grads);
        if (j > 0 || needInput) {
          dIn.add(TfBlocked.inputGradient(tf, s, t.filter(), dPre.get(k)));
        }
      }
      d = dIn;
    }
    if (!needInput) {
      return null;
    }
    Stage first = traces.get(0).stage();
    List<Operand<TFloat32>> dx = new ArrayList<>();
    for (Operand<TFloat32> dz : d) {
      dx.add(
          TfConv2d.unpadded(
              tf,
              first.layer(),
              first.conv().inputShape(),
              tf.nn.depthToSpace(dz, (long) first.block())));
    }
    return dx;
  }

  /**
   * Gradients of a stage's filter and bias from those of its blocked filter ({@code dFilter}) and
   * tiled bias ({@code dTiledBias}): the blocked filter's summed back onto the layer's filter, the
   * tiled bias's over its copies.
   */
  private void addGradients(
      Ops tf,
      StageTrace t,
      Operand<TFloat32> dFilter,
      Operand<TFloat32> dTiledBias,
      TfGradients grads) {
    Stage s = t.stage();
    Conv2d c = s.layer();
    TfVariables.OfLayer params = vars.of(s.conv().number());
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
                dTiledBias, tf.constant(new long[] {(long) s.block() * s.block(), c.filters()})),
            tf.constant(0)));
  }
}
