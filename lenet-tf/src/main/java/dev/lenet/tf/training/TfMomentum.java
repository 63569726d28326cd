package dev.lenet.tf.training;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * tensorflow-framework's momentum SGD, applied once per copy of the training step (see {@link
 * TfTrainingGraph}): the accumulators are created with the first copy's update and shared by the
 * others (the framework's class creates them on every {@code applyGradients}, under one name), and
 * start from zeros of the weight's static shape (the framework's fill reads the weight's shape from
 * the variable, which fails before the weights are set unless Grappler folds it away).
 */
final class TfMomentum extends Momentum {

  private boolean slotsCreated;

  TfMomentum(Graph graph, float learningRate, float momentum) {
    super(graph, learningRate, momentum);
  }

  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    if (slotsCreated) {
      return;
    }
    Ops init = tf.withInitScope();
    for (Output<? extends TType> v : variables) {
      Output<TFloat32> weight = v.expect(TFloat32.class);
      createSlot(weight, MOMENTUM, TfOptimizerState.zeros(init, weight));
    }
    slotsCreated = true;
  }
}
