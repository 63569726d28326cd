package dev.lenet.tf.layers;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
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
 * @param readsAfter ops the pass's reads of variables wait for (empty for none): a training step
 *     that follows another in one session call reads the weights that step wrote
 */
public record TfPass(
    boolean training,
    long seed,
    Operand<TInt64> step,
    List<Operand<TInt32>> towerOffsets,
    Operand<TInt32> batchSize,
    List<Op> readsAfter) {

  private static final TfPass INFERENCE = new TfPass(false, 0, null, null, null, List.of());

  public TfPass {
    readsAfter = List.copyOf(readsAfter);
  }

  /**
   * {@code variable}'s value as this pass reads it: after {@link #readsAfter()} if there are such
   * ops. Only these reads carry the ordering, so the ops that compute with them have no control
   * inputs (oneDNN's graph rewrite cannot merge ops that have them).
   */
  public Operand<TFloat32> read(Ops tf, Operand<TFloat32> variable) {
    return readsAfter.isEmpty()
        ? variable
        : tf.withControlDependencies(readsAfter).identity(variable);
  }

  /** The pass of a model in use: running statistics, no dropout. */
  public static TfPass inference() {
    return INFERENCE;
  }
}
