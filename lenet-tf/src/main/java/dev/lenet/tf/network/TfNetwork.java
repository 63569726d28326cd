package dev.lenet.tf.network;

import dev.lenet.api.spec.Activation;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.tf.kernels.TfKernels;
import dev.lenet.tf.layers.TfActivation;
import dev.lenet.tf.layers.TfDense;
import dev.lenet.tf.layers.TfDenseActivation;
import dev.lenet.tf.layers.TfGradients;
import dev.lenet.tf.layers.TfLayer;
import dev.lenet.tf.layers.TfLayers;
import dev.lenet.tf.layers.TfPass;
import dev.lenet.tf.layers.TfVariables;
import dev.lenet.tf.stages.TfStagePlan;
import dev.lenet.tf.stages.TfStageRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A {@link ModelSpec} compiled into a TensorFlow graph: its variables ({@link TfVariables}) and its
 * layers in order, each a {@link TfLayer} from {@link TfLayers}, or a run of convolution stages
 * computed together ({@link TfStageRun}) where the fast path is on and the layers fit it. The
 * forward pass may be applied several times (training, evaluation, serving), sharing the variables.
 *
 * <p>Tensors are NHWC inside; filters HWIO.
 */
public final class TfNetwork {

  private final ModelSpec spec;
  private final TfVariables variables;
  private final List<TfLayer> units;
  private final List<String> fastPaths;

  private TfNetwork(
      ModelSpec spec, TfVariables variables, List<TfLayer> units, List<String> fastPaths) {
    this.spec = spec;
    this.variables = variables;
    this.units = units;
    this.fastPaths = fastPaths;
  }

  /**
   * Creates the variables of {@code spec} in {@code tf}'s graph and compiles its layers.
   *
   * @param convolutionStages whether runs of convolution, activation and 2x2 pool use the
   *     space-to-depth fast path
   * @param fusedProducts whether that fast path, and each dense layer followed by an element-wise
   *     activation, computes its matrix product with the bias and activation in one fused kernel
   *     ({@code _FusedMatMul}, which TensorFlow's CPU kernels run but which is internal to
   *     TensorFlow: not for exported graphs, nor for a GPU)
   * @param nativeKernels whether that fast path computes the gradient through each average pool and
   *     its activation, each max pool's, and its batch norms' scale and shift and their gradient,
   *     in lenet's native kernels ({@link TfKernels}, which must be {@link TfKernels#available()
   *     available}): for training graphs on the CPU
   */
  public static TfNetwork create(
      Ops tf,
      ModelSpec spec,
      boolean convolutionStages,
      boolean fusedProducts,
      boolean nativeKernels) {
    TfVariables variables = TfVariables.create(tf, spec);
    List<LayerInfo> infos = spec.layerInfos();
    List<TfLayer> units = new ArrayList<>();
    List<String> fastPaths = new ArrayList<>();
    List<String> fused = new ArrayList<>();
    List<String> nativePools = new ArrayList<>();
    List<String> nativeMaxPools = new ArrayList<>();
    List<String> nativeNorms = new ArrayList<>();
    int i = 0;
    while (i < infos.size()) {
      Optional<TfStagePlan.Plan> plan =
          convolutionStages ? TfStagePlan.planAt(infos, i) : Optional.empty();
      if (plan.isPresent()) {
        boolean startsNetwork = units.stream().noneMatch(TfLayer::hasParameters);
        TfStageRun run =
            new TfStageRun(plan.get(), variables, fusedProducts, nativeKernels, startsNetwork);
        units.add(run);
        fastPaths.add("convolution stages: " + TfStagePlan.describe(plan.get()));
        nativePools.addAll(run.nativePoolGradients());
        nativeMaxPools.addAll(run.nativeMaxPoolGradients());
        nativeNorms.addAll(run.nativeNorms());
        if (run.firstNormFromPatches()) {
          fastPaths.add(
              "batch norm of layer "
                  + plan.get().stages().get(0).norm().number()
                  + " from its convolution's patches");
        }
        i += plan.get().layerCount();
      } else {
        TfLayer unit = TfLayers.create(infos.get(i++), variables);
        if (fusedProducts
            && unit instanceof TfDense dense
            && i < infos.size()
            && infos.get(i).layer() instanceof Activation
            && TfLayers.create(infos.get(i), variables) instanceof TfActivation activation) {
          fused.add(infos.get(i - 1).number() + "-" + infos.get(i).number());
          unit = new TfDenseActivation(dense, activation);
          i++;
        }
        units.add(unit);
      }
    }
    if (!fused.isEmpty()) {
      fastPaths.add(
          "dense layers fused with their activations: layers " + String.join(", ", fused));
    }
    if (!nativePools.isEmpty()) {
      fastPaths.add(
          "activation and average-pool gradients in one native kernel: layers "
              + String.join(", ", nativePools));
    }
    if (!nativeMaxPools.isEmpty()) {
      fastPaths.add(
          "max-pool gradients in one native kernel: layers " + String.join(", ", nativeMaxPools));
    }
    if (!nativeNorms.isEmpty()) {
      fastPaths.add(
          "batch norm's scale and shift, and their input gradient, in native kernels: layers "
              + String.join(", ", nativeNorms));
    }
    return new TfNetwork(spec, variables, List.copyOf(units), List.copyOf(fastPaths));
  }

  public ModelSpec spec() {
    return spec;
  }

  public TfVariables variables() {
    return variables;
  }

  /** The fast paths this network uses, one line each (empty if none). */
  public List<String> fastPaths() {
    return fastPaths;
  }

  /**
   * Logits {@code [batch, classes]} for NHWC {@code images} in inference: running statistics, no
   * dropout.
   */
  public Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images) {
    return forward(tf, List.of(images), TfPass.inference()).logits().get(0);
  }

  /** A forward pass over every tower, unit by unit, kept for the backward pass. */
  public Trace forward(Ops tf, List<Operand<TFloat32>> towers, TfPass pass) {
    List<TfLayer.Applied> applied = new ArrayList<>();
    List<Operand<TFloat32>> x = towers;
    for (TfLayer unit : units) {
      TfLayer.Applied a = unit.apply(tf, x, pass);
      applied.add(a);
      x = a.outputs();
    }
    return new Trace(List.copyOf(applied));
  }

  /** A forward pass, unit by unit. */
  public final class Trace {
    private final List<TfLayer.Applied> applied;

    private Trace(List<TfLayer.Applied> applied) {
      this.applied = applied;
    }

    /** Each tower's logits. */
    public List<Operand<TFloat32>> logits() {
      return applied.get(applied.size() - 1).outputs();
    }

    /** The state updates (running statistics) a training step runs. */
    public List<Op> updates() {
      List<Op> out = new ArrayList<>();
      applied.forEach(a -> out.addAll(a.updates()));
      return out;
    }

    /**
     * The backward pass, written out layer by layer rather than asking TensorFlow's C++ gradient
     * registry, so that each gradient uses the kernel that is fast here; no gradient is built below
     * the first unit with variables.
     *
     * @param dLogits the loss's gradient for each tower's logits
     */
    public TfGradients gradients(Ops tf, List<Operand<TFloat32>> dLogits) {
      int first = 0;
      while (first < units.size() && !units.get(first).hasParameters()) {
        first++;
      }
      TfGradients grads = new TfGradients(tf);
      List<Operand<TFloat32>> dy = dLogits;
      for (int i = units.size() - 1; i >= first; i--) {
        dy = applied.get(i).backward(tf, dy, i > first, grads);
      }
      return grads;
    }
  }
}
