package dev.lenet.tf.training;

import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.layers.TfGradients;
import dev.lenet.tf.layers.TfPass;
import dev.lenet.tf.layers.TfVariables;
import dev.lenet.tf.network.TfNetwork;
import dev.lenet.tf.runtime.TfImages;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.framework.optimizers.Optimizer;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.nn.SoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * One training step's part of the graph ({@link TfTrainingGraph} holds one or more): its batch's
 * placeholders (one pair per tower), the loss sum and right answers it fetches, and the ops that
 * make its update (the optimizer's and any layer's state updates).
 */
record TfTrainingStep(
    List<Placeholder<TUint8>> images,
    List<Placeholder<TUint8>> labels,
    Operand<TFloat32> lossSum,
    Operand<TInt32> correct,
    List<Op> targets) {

  /**
   * What a step is given: its batch's placeholders (one pair per tower), its number, and the ops
   * its reads of the weights wait for (the previous step's updates in the same call; empty for the
   * first).
   */
  record Feeds(
      List<Placeholder<TUint8>> images,
      List<Placeholder<TUint8>> labels,
      Operand<TInt64> step,
      List<Op> readsAfter) {}

  /**
   * One step on the batch of {@code feeds}, its weights read after {@code feeds.readsAfter()}, its
   * update named {@code updateName}.
   */
  static TfTrainingStep build(
      Ops tf,
      TfNetwork network,
      TrainingConfig config,
      Feeds feeds,
      Optimizer optimizer,
      String updateName) {
    List<Placeholder<TUint8>> images = feeds.images();
    List<Placeholder<TUint8>> labelBytes = feeds.labels();
    Shape shape = network.spec().input();
    int classes = network.spec().classes();
    int towers = images.size();
    List<Operand<TFloat32>> inputs = new ArrayList<>();
    List<Operand<TInt32>> offsets = new ArrayList<>();
    Operand<TInt32> total = null;
    for (Placeholder<TUint8> x : images) {
      inputs.add(TfImages.fromBytes(tf, x, shape));
      // The tower's size from its fed batch, not from its loss: each tower's backward pass then
      // starts as soon as its own forward pass is done, not when every tower's is.
      Operand<TInt32> n = tf.gather(tf.shape(x), tf.constant(0), tf.constant(0));
      offsets.add(total == null ? tf.constant(0) : total);
      total = total == null ? n : tf.math.add(total, n);
    }
    TfPass pass =
        new TfPass(
            true, config.seed(), feeds.step(), List.copyOf(offsets), total, feeds.readsAfter());
    TfNetwork.Trace trace = network.forward(tf, inputs, pass);
    Operand<TFloat32> lossSum = null;
    Operand<TInt32> correct = null;
    List<SoftmaxCrossEntropyWithLogits<TFloat32>> ces = new ArrayList<>();
    for (int t = 0; t < towers; t++) {
      Operand<TFloat32> logits = trace.logits().get(t);
      Operand<TInt32> labels = tf.dtypes.cast(labelBytes.get(t), TInt32.class);
      Operand<TFloat32> oneHot =
          tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      SoftmaxCrossEntropyWithLogits<TFloat32> ce =
          tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot);
      ces.add(ce);
      Operand<TFloat32> towerLoss = tf.sum(ce.loss(), tf.constant(0));
      Operand<TInt64> predicted = tf.math.argMax(logits, tf.constant(1));
      Operand<TInt32> towerCorrect =
          tf.sum(
              tf.dtypes.cast(
                  tf.math.equal(predicted, tf.dtypes.cast(labels, TInt64.class)), TInt32.class),
              tf.constant(0));
      lossSum = lossSum == null ? towerLoss : tf.math.add(lossSum, towerLoss);
      correct = correct == null ? towerCorrect : tf.math.add(correct, towerCorrect);
    }
    Operand<TFloat32> batchSize = tf.dtypes.cast(total, TFloat32.class);
    List<Operand<TFloat32>> dLogits = new ArrayList<>();
    for (SoftmaxCrossEntropyWithLogits<TFloat32> ce : ces) {
      dLogits.add(tf.math.div(ce.backprop(), batchSize));
    }
    TfGradients grads = trace.gradients(tf, dLogits);
    List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (TfVariables.Param p : network.variables().trainable()) {
      pairs.add(new GradAndVar<>(grads.get(p.info().name()).asOutput(), p.variable().asOutput()));
    }
    List<Op> targets = new ArrayList<>();
    targets.add(optimizer.applyGradients(pairs, updateName));
    targets.addAll(trace.updates());
    return new TfTrainingStep(
        List.copyOf(images), List.copyOf(labelBytes), lossSum, correct, List.copyOf(targets));
  }
}
