package dev.lenet.tf.training;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.train.ApplyAdam;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

/**
 * Adam on tensorflow-framework's {@link Optimizer} base, with the bias-correction powers updated
 * strictly after every weight update of the step.
 *
 * <p>tensorflow-framework 1.1.0's {@code Adam} groups the {@code beta1_power}/{@code beta2_power}
 * updates with the {@code ApplyAdam} ops that read them, so within a step some reads may see the
 * updated power: results then depend on op scheduling, and a resumed run drifts from an
 * uninterrupted one. Here the power updates carry control dependencies on the weight updates.
 */
final class TfAdam extends Optimizer {

  static final String FIRST_MOMENT = "m";
  static final String SECOND_MOMENT = "v";

  private final float learningRate;
  private final float betaOne;
  private final float betaTwo;
  private final float epsilon;
  private Variable<TFloat32> betaOnePower;
  private Variable<TFloat32> betaTwoPower;

  TfAdam(Graph graph, float learningRate, float betaOne, float betaTwo, float epsilon) {
    super(graph, "Adam");
    this.learningRate = learningRate;
    this.betaOne = betaOne;
    this.betaTwo = betaTwo;
    this.epsilon = epsilon;
  }

  /** Created with the first copy's update, shared by the others (see {@link TfTrainingGraph}). */
  @Override
  protected void createSlots(List<Output<? extends TType>> variables) {
    if (betaOnePower != null) {
      return;
    }
    Ops init = tf.withInitScope();
    for (Output<? extends TType> v : variables) {
      Output<TFloat32> weight = v.expect(TFloat32.class);
      createSlot(weight, FIRST_MOMENT, TfOptimizerState.zeros(init, weight));
      createSlot(weight, SECOND_MOMENT, TfOptimizerState.zeros(init, weight));
    }
    betaOnePower = init.withName("beta1_power").variable(Shape.scalar(), TFloat32.class);
    init.assign(betaOnePower, init.constant(betaOne));
    betaTwoPower = init.withName("beta2_power").variable(Shape.scalar(), TFloat32.class);
    init.assign(betaTwoPower, init.constant(betaTwo));
  }

  @Override
  protected <T extends TType> Op applyDense(Ops deps, Output<T> gradient, Output<T> variable) {
    Operand<TFloat32> weight = variable.expect(TFloat32.class);
    return deps.train.applyAdam(
        weight,
        getSlot(weight.asOutput(), FIRST_MOMENT).orElseThrow(),
        getSlot(weight.asOutput(), SECOND_MOMENT).orElseThrow(),
        betaOnePower,
        betaTwoPower,
        deps.constant(learningRate),
        deps.constant(betaOne),
        deps.constant(betaTwo),
        deps.constant(epsilon),
        gradient.expect(TFloat32.class),
        ApplyAdam.useLocking(true));
  }

  @Override
  protected Op finish(List<Op> updateOperations, String name) {
    Ops after = tf.withControlDependencies(updateOperations);
    Op one = after.assign(betaOnePower, after.math.mul(betaOnePower, after.constant(betaOne)));
    Op two = after.assign(betaTwoPower, after.math.mul(betaTwoPower, after.constant(betaTwo)));
    return tf.withName(name).withControlDependencies(List.of(one, two)).noOp();
  }

  @Override
  public String getOptimizerName() {
    return "Adam";
  }
}
