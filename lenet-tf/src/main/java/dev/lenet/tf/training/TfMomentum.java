package dev.lenet.tf.training;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.types.family.TType;

/**
 * tensorflow-framework's momentum SGD, applied once per copy of the training step (see {@link
 * TfTrainingGraph}): the accumulators are created with the first copy's update and shared by the
 * others. (The framework's class creates them on every {@code applyGradients}, under one name.)
 */
final class TfMomentum extends Momentum {

  private boolean slotsCreated;

  TfMomentum(Graph graph, float learningRate, float momentum) {
    super(graph, learningRate, momentum);
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    if (!slotsCreated) {
      super.createSlots(variables);
      slotsCreated = true;
    }
  }
}
