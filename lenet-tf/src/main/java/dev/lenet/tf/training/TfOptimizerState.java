package dev.lenet.tf.training;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TFloat32;

/**
 * The variables an optimizer adds to a graph (momentum accumulators, Adam's moments and powers),
 * with the ops to read and restore them for checkpoints.
 */
final class TfOptimizerState {

  private record StateVar(
      Operand<TFloat32> variable, Placeholder<TFloat32> value, Assign<TFloat32> assign) {}

  private final Map<String, StateVar> vars;

  private TfOptimizerState(Map<String, StateVar> vars) {
    this.vars = vars;
  }

  /**
   * Zeros of {@code weight}'s static shape, for a slot's initial value: without reading the
   * variable, which has no value before the weights are set (Grappler, off on the CPU, used to fold
   * such reads away).
   */
  static Operand<TFloat32> zeros(Ops tf, Output<TFloat32> weight) {
    return tf.zeros(tf.constant(weight.shape().asArray()), TFloat32.class);
  }

  /** The names of the graph's variables now, to tell later which ones the optimizer added. */
  static Set<String> variableNames(Graph graph) {
    Set<String> names = new HashSet<>();
    graph
        .operations()
        .forEachRemaining(
            op -> {
              if (op.type().equals("VariableV2")) {
                names.add(op.name());
              }
            });
    return names;
  }

  /** Every variable not in {@code before}, each with a placeholder and assign to restore it. */
  static TfOptimizerState added(Graph graph, Ops tf, Set<String> before) {
    Map<String, StateVar> vars = new TreeMap<>();
    for (String name : variableNames(graph)) {
      if (before.contains(name)) {
        continue;
      }
      GraphOperation op = graph.operation(name);
      Output<?> output = op.output(0);
      DataType type = output.dataType();
      if (type != DataType.DT_FLOAT && type != DataType.DT_FLOAT_REF) {
        throw new IllegalStateException("optimizer variable " + name + " is not float32");
      }
      Operand<TFloat32> variable = output.expect(TFloat32.class);
      Placeholder<TFloat32> value =
          tf.withName(name.replace('/', '_') + "_restore")
              .placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
      vars.put(name, new StateVar(variable, value, tf.assign(variable, value)));
    }
    return new TfOptimizerState(vars);
  }

  /** The values by graph name (empty for plain SGD). */
  Map<String, float[]> read(Session session) {
    Map<String, float[]> out = new LinkedHashMap<>();
    if (vars.isEmpty()) {
      return out;
    }
    Session.Runner runner = session.runner();
    vars.values().forEach(v -> runner.fetch(v.variable()));
    try (Result r = runner.run()) {
      int i = 0;
      for (String name : vars.keySet()) {
        TFloat32 t = (TFloat32) r.get(i++);
        float[] values = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(values, false, false));
        out.put(name, values);
      }
    }
    return out;
  }

  /**
   * Restores the values.
   *
   * @throws IllegalArgumentException if one is missing or has the wrong size
   */
  void restore(Session session, Map<String, float[]> values) {
    if (vars.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (Map.Entry<String, StateVar> e : vars.entrySet()) {
        float[] v = values.get(e.getKey());
        org.tensorflow.ndarray.Shape shape = e.getValue().variable().shape();
        if (v == null || v.length != shape.size()) {
          throw new IllegalArgumentException(
              "the checkpoint has no optimizer state "
                  + e.getKey()
                  + " of "
                  + shape.size()
                  + " values; was it written with another optimizer?");
        }
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(v, true, false));
        tensors.add(t);
        runner.feed(e.getValue().value(), t).addTarget(e.getValue().assign());
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }
}
