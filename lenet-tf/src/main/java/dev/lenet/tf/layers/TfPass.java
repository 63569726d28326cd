package dev.lenet.tf.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * What a forward pass is for. Inference is one input and no randomness; training may split the
 * batch into towers (computed side by side), and its layers that draw random numbers (dropout) key
 * them on the seed, the step and the layer.
 *
 * @param training whether layers behave as in training (batch statistics, dropout)
 * @param seed the run's seed
 * @param step the training step's number, fed per step (null in inference)
 * @param towerOffsets where each tower's examples start in the whole batch (null in inference)
 * @param batchSize examples in the whole batch, all towers together (null in inference)
 */
public record TfPass(
    boolean training,
    long seed,
    Operand<TInt64> step,
    List<Operand<TInt32>> towerOffsets,
    Operand<TInt32> batchSize) {

  private static final TfPass INFERENCE = new TfPass(false, 0, null, null, null);

  /** The pass of a model in use: running statistics, no dropout. */
  public static TfPass inference() {
    return INFERENCE;
  }
}
