package dev.lenet.tf.layers;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.ParameterInfo;
import dev.lenet.tf.runtime.TfLayouts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * One TensorFlow variable per tensor a spec's layers declare (trainable ones and state), named as
 * the API names them with {@code _} for {@code .} ({@code layer1_weight}), with the ops that set
 * them from Java. Values cross to Java in the API's (PyTorch) layouts.
 */
public final class TfVariables {

  /** A tensor's variable and the ops that set it. */
  public record Param(
      ParameterInfo info,
      Variable<TFloat32> variable,
      Placeholder<TFloat32> value,
      Assign<TFloat32> assign) {}

  private final Map<String, Param> params;

  private TfVariables(Map<String, Param> params) {
    this.params = params;
  }

  /** Creates the variables of {@code spec} in {@code tf}'s graph. */
  public static TfVariables create(Ops tf, ModelSpec spec) {
    Map<String, Param> params = new LinkedHashMap<>();
    for (ParameterInfo p : ParameterInfo.of(spec)) {
      Shape shape = Shape.of(TfLayouts.tfShape(p.shape()));
      String name = opName(p.name());
      Variable<TFloat32> v = tf.withName(name).variable(shape, TFloat32.class);
      Placeholder<TFloat32> value =
          tf.withName(name + "_value").placeholder(TFloat32.class, Placeholder.shape(shape));
      Assign<TFloat32> assign = tf.withName(name + "_assign").assign(v, value);
      params.put(p.name(), new Param(p, v, value, assign));
    }
    return new TfVariables(params);
  }

  /** The graph name of a tensor's variable: {@code layer1.weight} is {@code layer1_weight}. */
  public static String opName(String parameter) {
    return parameter.replace('.', '_');
  }

  /** One layer's variables, and the network-wide names of their gradients. */
  public record OfLayer(TfVariables all, int layer) {

    /** The variable of this layer's tensor {@code local}, e.g. {@code weight}. */
    public Variable<TFloat32> get(String local) {
      return all.get(layer, local);
    }

    /** The network-wide name of this layer's tensor {@code local}, e.g. {@code layer1.weight}. */
    public String name(String local) {
      return ParameterInfo.name(layer, local);
    }
  }

  /** The variables of layer {@code layer} (numbered from 1). */
  public OfLayer of(int layer) {
    return new OfLayer(this, layer);
  }

  /** The variable of tensor {@code local} of layer {@code layer}. */
  public Variable<TFloat32> get(int layer, String local) {
    return get(ParameterInfo.name(layer, local));
  }

  /** The variable of tensor {@code name}. */
  public Variable<TFloat32> get(String name) {
    Param p = params.get(name);
    if (p == null) {
      throw new IllegalStateException("the network has no variable " + name);
    }
    return p.variable();
  }

  /** Every tensor, in {@link ParameterInfo#of} order. */
  public List<Param> all() {
    return List.copyOf(params.values());
  }

  /** The tensors the optimizer trains, in {@link ParameterInfo#of} order. */
  public List<Param> trainable() {
    return params.values().stream().filter(p -> p.info().trainable()).toList();
  }

  /**
   * Sets every tensor from {@code values} (API names and layouts).
   *
   * @throws IllegalArgumentException naming a tensor that is missing or has the wrong size
   */
  public void assign(Session session, Map<String, float[]> values) {
    Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (Param p : params.values()) {
        float[] v = values.get(p.info().name());
        if (v == null) {
          throw new IllegalArgumentException("no values for parameter " + p.info().name());
        }
        if (v.length != p.info().size()) {
          throw new IllegalArgumentException(
              "parameter "
                  + p.info().name()
                  + " needs "
                  + p.info().size()
                  + " values "
                  + p.info().shape()
                  + ", found "
                  + v.length);
        }
        TFloat32 t =
            TFloat32.tensorOf(
                p.variable().shape(),
                DataBuffers.of(TfLayouts.toTf(v, p.info().shape()), true, false));
        tensors.add(t);
        runner.feed(p.value(), t).addTarget(p.assign());
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  /** Reads every tensor (API names and layouts). */
  public Map<String, float[]> read(Session session) {
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
}
