package dev.lenet.tf.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * One layer kind compiled into a TensorFlow graph (or a run of layers computed together): its
 * forward pass on every tower of a batch, and, through what {@link #apply} returns, its backward
 * pass and any state updates of a training step. Tensors are NHWC; a layer's variables are in
 * {@link TfVariables}. Every {@link dev.lenet.api.spec.Layer} kind has one class, found through
 * {@link TfLayers}.
 */
public interface TfLayer {

  /** Whether it has variables to train (then the backward pass must reach it). */
  boolean hasParameters();

  /**
   * The forward pass of each tower's input.
   *
   * @param inputs one NHWC (or {@code [batch, features]}) operand per tower
   */
  Applied apply(Ops tf, List<Operand<TFloat32>> inputs, TfPass pass);

  /** A forward pass applied to a batch: its outputs, and what the backward pass needs. */
  interface Applied {

    /** One output per tower. */
    List<Operand<TFloat32>> outputs();

    /**
     * Adds the gradients of the layer's trainable variables to {@code grads} and returns each
     * tower's input gradient, or null if {@code needInput} is false.
     *
     * @param dy the loss's gradient for each tower's output
     */
    List<Operand<TFloat32>> backward(
        Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads);

    /** State the layer updates in a training step (running statistics); none by default. */
    default List<Op> updates() {
      return List.of();
    }

    /** The outputs of an inference pass, which has no backward pass. */
    static Applied inference(List<Operand<TFloat32>> outputs) {
      return new Applied() {
        @Override
        public List<Operand<TFloat32>> outputs() {
          return outputs;
        }

        @Override
        public List<Operand<TFloat32>> backward(
            Ops tf, List<Operand<TFloat32>> dy, boolean needInput, TfGradients grads) {
          throw new IllegalStateException("an inference pass has no backward pass");
        }
      };
    }
  }
}
