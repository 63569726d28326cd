package dev.lenet.tf.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The loss's gradients for the trainable variables, by parameter name ({@code layer1.weight}), in
 * TensorFlow layouts. A layer adds one term per tower; terms for the same name are summed in the
 * order they are added (tower 0 first).
 */
public final class TfGradients {

  private final Ops tf;
  private final Map<String, Operand<TFloat32>> sums = new LinkedHashMap<>();

  public TfGradients(Ops tf) {
    this.tf = tf;
  }

  /** Adds {@code gradient} to the parameter's sum. */
  public void add(String parameter, Operand<TFloat32> gradient) {
    sums.merge(parameter, gradient, (a, b) -> tf.math.add(a, b));
  }

  /**
   * The summed gradient of {@code parameter}.
   *
   * @throws IllegalStateException if no layer gave one
   */
  public Operand<TFloat32> get(String parameter) {
    Operand<TFloat32> g = sums.get(parameter);
    if (g == null) {
      throw new IllegalStateException("the backward pass gave no gradient for " + parameter);
    }
    return g;
  }
}
