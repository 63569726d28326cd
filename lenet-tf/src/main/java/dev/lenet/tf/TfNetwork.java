package dev.lenet.tf;

import dev.lenet.api.spec.Activation;
import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.Dense;
import dev.lenet.api.spec.Flatten;
import dev.lenet.api.spec.Layer;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.MaxPool2d;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.ParameterInfo;
import dev.lenet.api.spec.Relu;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.spec.Sigmoid;
import dev.lenet.api.spec.Tanh;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * A {@link ModelSpec} compiled into a TensorFlow graph: one variable per parameter, and the forward
 * pass, which may be applied to several inputs (training, evaluation, serving) sharing the weights.
 *
 * <p>Tensors are NHWC inside; filters HWIO. Before {@link Flatten} the activations are transposed
 * to channel-major order, so that dense weights mean what they mean in the book's PyTorch model.
 */
final class TfNetwork {

  /** A parameter's variable and the ops that set it from Java. */
  record Param(
      ParameterInfo info,
      Variable<TFloat32> variable,
      Placeholder<TFloat32> value,
      Assign<TFloat32> assign) {}

  private final ModelSpec spec;
  private final Map<String, Param> params;
  private final boolean blocked;

  private TfNetwork(ModelSpec spec, Map<String, Param> params, boolean blocked) {
    this.spec = spec;
    this.params = params;
    this.blocked = blocked;
  }

  /** Creates the parameter variables of {@code spec} in {@code tf}'s graph. */
  static TfNetwork create(Ops tf, ModelSpec spec) {
    Map<String, Param> params = new LinkedHashMap<>();
    for (ParameterInfo p : ParameterInfo.of(spec)) {
      org.tensorflow.ndarray.Shape shape =
          org.tensorflow.ndarray.Shape.of(TfLayouts.tfShape(p.shape()));
      String name = p.name().replace('.', '_');
      Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
      Placeholder<TFloat32> value =
          tf.withName(name + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
      Assign<TFloat32> assign = tf.withName(name + "_assign").assign(v, value);
      params.put(p.name(), new Param(p, v, value, assign));
    }
    return new TfNetwork(spec, params, TfBlocked.enabled());
  }

  /**
   * Sets every parameter from {@code weights} (API names and layouts).
   *
   * @throws IllegalArgumentException naming a parameter that is missing or has the wrong size
   */
  void assign(Session session, Map<String, float[]> weights) {
    Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (Param p : params.values()) {
        float[] values = weights.get(p.info().name());
        if (values == null) {
          throw new IllegalArgumentException("no values for parameter " + p.info().name());
        }
        if (values.length != p.info().size()) {
          throw new IllegalArgumentException(
              "parameter "
                  + p.info().name()
                  + " needs "
                  + p.info().size()
                  + " values "
                  + p.info().shape()
                  + ", found "
                  + values.length);
        }
        TFloat32 t =
            TFloat32.tensorOf(
                p.variable().shape(),
                DataBuffers.of(TfLayouts.toTf(values, p.info().shape()), true, false));
        tensors.add(t);
        runner.feed(p.value(), t).addTarget(p.assign());
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  /** Reads every parameter (API names and layouts). */
  Map<String, float[]> read(Session session) {
    Session.Runner runner = session.runner();
    for (Param p : params.values()) {
      runner.fetch(p.variable());
    }
    Map<String, float[]> out = new LinkedHashMap<>();
    try (Result r = runner.run()) {
      int i = 0;
      for (Param p : params.values()) {
        TFloat32 t = (TFloat32) r.get(i++);
        float[] values = new float[p.info().size()];
        t.copyTo(DataBuffers.of(values, false, false));
        out.put(p.info().name(), TfLayouts.toApi(values, p.info().shape()));
      }
    }
    return out;
  }

  ModelSpec spec() {
    return spec;
  }

  /** The parameters in {@link ParameterInfo#of(ModelSpec)} order. */
  List<Param> params() {
    return List.copyOf(params.values());
  }

  /** The variables to train, in parameter order. */
  List<Variable<TFloat32>> variables() {
    List<Variable<TFloat32>> vars = new ArrayList<>();
    params.values().forEach(p -> vars.add(p.variable()));
    return vars;
  }

  /**
   * The forward pass: logits {@code [batch, classes]} for {@code images} {@code [batch, H, W, C]}.
   * Each layer's static output shape is checked against the spec's shape inference.
   */
  Operand<TFloat32> logits(Ops tf, Operand<TFloat32> images) {
    return forward(tf, images).logits();
  }

  /** A part of a forward pass: one layer ({@link Step}) or a run of layers computed together. */
  sealed interface Part permits Step, TfBlocked.Applied {
    Operand<TFloat32> output();

    /** Whether the part has parameters to train. */
    boolean hasParameters();
  }

  /**
   * One layer of a forward pass: what went in, what the layer's op saw (the zero-padded input for a
   * padded convolution, else {@code input}), and what came out. The backward pass needs all three.
   */
  record Step(
      LayerInfo info, Operand<TFloat32> input, Operand<TFloat32> opInput, Operand<TFloat32> output)
      implements Part {
    @Override
    public boolean hasParameters() {
      return info.layer() instanceof Conv2d || info.layer() instanceof Dense;
    }
  }

  /** A forward pass, part by part. */
  record Trace(List<Part> parts) {
    Operand<TFloat32> logits() {
      return parts.get(parts.size() - 1).output();
    }
  }

  /**
   * The forward pass with every layer's operands kept, for {@link TfBackprop}. Runs of convolution,
   * activation and 2x2 pool are computed on space-to-depth images ({@link TfBlocked}) unless the
   * system property {@value TfBlocked#PROPERTY} was {@code false} when this network was created.
   */
  Trace forward(Ops tf, Operand<TFloat32> images) {
    List<Part> parts = new ArrayList<>();
    List<LayerInfo> infos = spec.layerInfos();
    Operand<TFloat32> x = images;
    int i = 0;
    while (i < infos.size()) {
      var plan = blocked ? TfBlocked.planAt(infos, i) : java.util.Optional.<TfBlocked.Plan>empty();
      if (plan.isPresent()) {
        TfBlocked.Applied applied = TfBlocked.forward(tf, this, plan.get(), x);
        parts.add(applied);
        x = applied.output();
        i += plan.get().layerCount();
        continue;
      }
      LayerInfo info = infos.get(i++);
      Operand<TFloat32> opInput =
          info.layer() instanceof Conv2d c ? padded(tf, c, info.inputShape(), x) : x;
      Operand<TFloat32> out = apply(tf, info, opInput);
      checkShape(info, out);
      parts.add(new Step(info, x, opInput, out));
      x = out;
    }
    return new Trace(List.copyOf(parts));
  }

  /**
   * A convolution's input with its zero padding added: what its {@code VALID} op reads. Padded as
   * {@code [n, H, W*C]} (the same zeros, as channels are innermost): TensorFlow's Pad is 2x faster
   * here on that than on a one-channel NHWC image.
   */
  static Operand<TFloat32> padded(Ops tf, Conv2d c, Shape in, Operand<TFloat32> x) {
    int ph = c.paddingHeight();
    int pw = c.paddingWidth();
    if (ph == 0 && pw == 0) {
      return x;
    }
    long h = in.height();
    long w = in.width();
    long ch = in.channels();
    Operand<TFloat32> rows =
        tf.pad(
            tf.reshape(x, tf.constant(new long[] {-1, h, w * ch})),
            tf.constant(new int[][] {{0, 0}, {ph, ph}, {pw * (int) ch, pw * (int) ch}}),
            tf.constant(0f));
    return tf.reshape(rows, tf.constant(new long[] {-1, h + 2 * ph, w + 2 * pw, ch}));
  }

  Variable<TFloat32> variable(String parameter) {
    return params.get(parameter).variable();
  }

  /** Applies one layer; a convolution gets its input already padded. */
  private Operand<TFloat32> apply(Ops tf, LayerInfo info, Operand<TFloat32> x) {
    Layer layer = info.layer();
    int n = info.number();
    if (layer instanceof Conv2d c) {
      List<Long> strides = List.of(1L, (long) c.strideHeight(), (long) c.strideWidth(), 1L);
      Operand<TFloat32> conv = tf.nn.conv2d(x, weight(n), strides, "VALID");
      return tf.nn.biasAdd(conv, bias(n));
    } else if (layer instanceof AvgPool2d p) {
      return tf.nn.avgPool(
          x,
          List.of(1L, (long) p.kernelHeight(), (long) p.kernelWidth(), 1L),
          List.of(1L, (long) p.strideHeight(), (long) p.strideWidth(), 1L),
          "VALID");
    } else if (layer instanceof MaxPool2d p) {
      return tf.nn.maxPool(
          x,
          tf.constant(new int[] {1, p.kernelHeight(), p.kernelWidth(), 1}),
          tf.constant(new int[] {1, p.strideHeight(), p.strideWidth(), 1}),
          "VALID");
    } else if (layer instanceof Activation a) {
      return activation(tf, a, x);
    } else if (layer instanceof Flatten) {
      Shape in = info.inputShape();
      Operand<TFloat32> channelMajor =
          in.isImage() && in.channels() > 1
              ? tf.linalg.transpose(x, tf.constant(new int[] {0, 3, 1, 2}))
              : x;
      return tf.reshape(channelMajor, tf.constant(new long[] {-1, in.size()}));
    } else if (layer instanceof Dense) {
      return tf.nn.biasAdd(tf.linalg.matMul(x, weight(n)), bias(n));
    }
    throw new IllegalStateException("no TensorFlow translation for layer " + layer.describe());
  }

  static Operand<TFloat32> activation(Ops tf, Activation a, Operand<TFloat32> x) {
    if (a instanceof Sigmoid) {
      return tf.math.sigmoid(x);
    } else if (a instanceof Relu) {
      return tf.nn.relu(x);
    } else if (a instanceof Tanh) {
      return tf.math.tanh(x);
    }
    throw new IllegalStateException("no TensorFlow translation for " + a.describe());
  }

  private Variable<TFloat32> weight(int layer) {
    return variable("layer" + layer + ".weight");
  }

  private Variable<TFloat32> bias(int layer) {
    return variable("layer" + layer + ".bias");
  }

  /** Fails if TensorFlow's static shape disagrees with the spec's inferred shape. */
  static void checkShape(LayerInfo info, Operand<TFloat32> x) {
    org.tensorflow.ndarray.Shape actual = x.shape();
    Shape expected = info.outputShape();
    long[] want;
    if (expected.isImage()) {
      want = new long[] {expected.height(), expected.width(), expected.channels()};
    } else {
      want = new long[] {expected.dim(0)};
    }
    boolean ok = actual.numDimensions() == want.length + 1;
    for (int i = 0; ok && i < want.length; i++) {
      ok = actual.get(i + 1) == want[i];
    }
    if (!ok) {
      throw new IllegalStateException(
          "layer "
              + info.number()
              + " ("
              + info.layer().describe()
              + "): TensorFlow computed shape "
              + actual
              + " but the spec says "
              + expected
              + " (NHWC: [batch, "
              + java.util.Arrays.toString(want).replaceAll("[\\[\\]]", "")
              + "])");
    }
  }
}
