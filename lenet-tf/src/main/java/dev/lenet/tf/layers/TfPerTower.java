package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * A layer whose towers do not meet: each tower's forward and backward pass is its own, so that
 * TensorFlow can run them side by side. Subclasses give one tower's passes; each output's static
 * shape is checked against the spec's shape inference.
 */
public abstract class TfPerTower implements TfLayer {

  /** What one tower's forward pass kept for its backward pass. */
  public record Step(Operand<TFloat32> input, Operand<TFloat32> kept, Operand<TFloat32> output) {}

  protected final LayerInfo info;

  protected TfPerTower(LayerInfo info) {
    this.info = info;
  }

  /**
   * One tower's forward pass.
   *
   * @param tower the tower's index, with its place in the batch in {@code pass}
   * @return its input, whatever else its backward pass needs (or the input), and its output
   */
  protected abstract Step forward(Ops tf, Operand<TFloat32> x, TfPass pass, int tower);

  /** One tower's backward pass: records parameter gradients, returns the input's (or null). */
  protected abstract Operand<TFloat32> backward(
      Ops tf, Step step, Operand<TFloat32> dy, boolean needInput, TfGradients grads);

  @Override
  public boolean hasParameters() {
    return false;
  }

  @Override
  public final Applied apply(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass) {
    List<Step> steps = new ArrayList<>();
    for (int t = 0; t < inputs.size(); t++) {
      Step s = forward(tf, inputs.get(t), pass, t);
      TfShapes.check(info, s.output());
      steps.add(s);
    }
    return new Applied() {
      @Override
      public List<Operand<TFloat32>> outputs() {
        return steps.stream().map(Step::output).toList();
      }

      @Override
      public List<Operand<TFloat32>> backward(
          Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads) {
        List<Operand<TFloat32>> dx = new ArrayList<>();
        for (int t = 0; t < steps.size(); t++) {
          dx.add(TfPerTower.this.backward(tf, steps.get(t), dy.get(t), needInput, grads));
        }
        return needInput ? dx : null;
      }
    };
  }

  /** One step that keeps nothing but its input and output. */
  protected static Step step(Operand<TFloat32> x, Operand<TFloat32> y) {
    return new Step(x, x, y);
  }

  /** {@code [1, a, b, 1]}, the NHWC form of a window or stride. */
  protected static List<Long> nhwc(int a, int b) {
    return List.of(1L, (long) a, (long) b, 1L);
  }
}
