package dev.lenet.tf.training;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.layers.TfGradients;
import dev.lenet.tf.layers.TfPass;
import dev.lenet.tf.layers.TfVariables;
import dev.lenet.tf.network.TfNetwork;
import dev.lenet.tf.runtime.TfImages;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.buffer.DataBuffers;
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
 * The training part of a model's graph. Each step feeds the batch as it is stored, one unsigned
 * byte per pixel and per label (200 KB for 256 Fashion-MNIST images, gathered from the data set's
 * array in Java); the scaling to [0, 1], the one-hot labels, the forward and backward passes
 * ({@link TfNetwork}) and the update, with any state updates of its layers, all run inside one
 * session call. On the CPU the batch is split into towers, one per core (see {@link #build}).
 */
public final class TfTrainingGraph {

  private final Shape shape;
  private final List<Placeholder<TUint8>> images;
  private final List<Placeholder<TUint8>> labels;
  private final Operand<TFloat32> lossSum;
  private final Operand<TInt32> correct;
  private final Placeholder<TInt64> stepIndex;
  private final List<Op> targets;
  private final TfOptimizerState optimizerState;

  /** Reused for every step's batch: training runs on one thread. */
  private byte[] batch = new byte[0];

  private byte[] labelValues = new byte[0];

  private TfTrainingGraph(
      Shape shape,
      List<Placeholder<TUint8>> images,
      List<Placeholder<TUint8>> labels,
      Placeholder<TInt64> stepIndex,
      Operand<TFloat32> lossSum,
      Operand<TInt32> correct,
      List<Op> targets,
      TfOptimizerState optimizerState) {
    this.shape = shape;
    this.images = images;
    this.labels = labels;
    this.stepIndex = stepIndex;
    this.lossSum = lossSum;
    this.correct = correct;
    this.targets = targets;
    this.optimizerState = optimizerState;
  }

  /**
   * Builds the training ops with the batch split into {@code towers} parts whose forward and
   * backward passes are independent (so that TensorFlow can run them side by side, one per core)
   * and whose gradients are summed before one update: the same SGD step on the whole batch, up to
   * the order of the sums.
   */
  public static TfTrainingGraph build(
      Graph graph, Ops tf, TfNetwork network, TrainingConfig config, int towers) {
    Shape shape = network.spec().input();
    int classes = network.spec().classes();
    List<Placeholder<TUint8>> images = new ArrayList<>();
    List<Placeholder<TUint8>> labelBytes = new ArrayList<>();
    List<Operand<TFloat32>> inputs = new ArrayList<>();
    List<Operand<TInt32>> offsets = new ArrayList<>();
    Operand<TInt32> total = null;
    for (int t = 0; t < towers; t++) {
      Placeholder<TUint8> x =
          tf.withName("train_images_" + t)
              .placeholder(
                  TUint8.class,
                  Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, shape.size())));
      Placeholder<TUint8> yb =
          tf.withName("train_labels_" + t)
              .placeholder(TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
      images.add(x);
      labelBytes.add(yb);
      inputs.add(TfImages.fromBytes(tf, x, shape));
      // The tower's size from its fed batch, not from its loss: each tower's backward pass then
      // starts as soon as its own forward pass is done, not when every tower's is.
      Operand<TInt32> n = tf.gather(tf.shape(x), tf.constant(0), tf.constant(0));
      offsets.add(total == null ? tf.constant(0) : total);
      total = total == null ? n : tf.math.add(total, n);
    }
    Placeholder<TInt64> stepIndex =
        tf.withName("train_step_index")
            .placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
    TfPass pass = new TfPass(true, config.seed(), stepIndex, List.copyOf(offsets), total);
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
    Set<String> before = TfOptimizerState.variableNames(graph);
    Op update = optimizer(graph, config).applyGradients(pairs, "train_step");
    TfOptimizerState state = TfOptimizerState.added(graph, tf, before);
    List<Op> targets = new ArrayList<>();
    targets.add(update);
    targets.addAll(trace.updates());
    return new TfTrainingGraph(
        shape, images, labelBytes, stepIndex, lossSum, correct, List.copyOf(targets), state);
  }

  private static org.tensorflow.framework.optimizers.Optimizer optimizer(
      Graph graph, TrainingConfig config) {
    float lr = (float) config.learningRate();
    Optimizer kind = config.optimizer();
    return switch (kind) {
      case SGD -> new GradientDescent(graph, lr);
      case MOMENTUM -> new Momentum(graph, lr, Optimizer.MOMENTUM_DEFAULT);
      case ADAM -> new TfAdam(graph, lr, 0.9f, 0.999f, 1e-8f);
    };
  }

  public TfOptimizerState optimizerState() {
    return optimizerState;
  }

  /** Loss summed over the batch and the number classified right, after one update. */
  public record StepResult(double lossSum, int correct) {}

  /**
   * One training step on the examples {@code order[from, from + count)} of {@code data}.
   *
   * @param step the step's number in the run, from 0, which keys random draws (dropout)
   */
  public StepResult step(
      Session session, ImageDataset data, int[] order, int from, int count, long step) {
    try (Result r = run(session, data, order, from, count, step)) {
      return new StepResult(((TFloat32) r.get(0)).getFloat(), ((TInt32) r.get(1)).getInt());
    }
  }

  /**
   * Runs one training step on the first {@code count} examples, split across the towers as in
   * training, and then puts the weights and the optimizer's state back as they were: TensorFlow
   * optimizes the graph and creates its kernels for the very call training makes (the first run of
   * a call costs most of a second here, and a different set of fetches would pay again in the first
   * timed step), before training is timed. The weights and the optimizer's state are unchanged, bit
   * for bit.
   */
  public void warmUp(Session session, TfNetwork network, ImageDataset data, int count) {
    int[] order = new int[Math.min(count, data.size())];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Map<String, float[]> weights = network.variables().read(session);
    Map<String, float[]> slots = optimizerState.read(session);
    step(session, data, order, 0, order.length, 0);
    network.variables().assign(session, weights);
    optimizerState.restore(session, slots);
  }

  private Result run(
      Session session, ImageDataset data, int[] order, int from, int count, long step) {
    List<TType> tensors = new ArrayList<>();
    try {
      Session.Runner runner = runner(session, data, order, from, count, step, tensors);
      return runner.run();
    } finally {
      tensors.forEach(TType::close);
    }
  }

  /**
   * A session call that runs one training step and fetches the batch's loss sum and right answers;
   * the tensors it feeds are added to {@code tensors} for the caller to close after the run.
   */
  public Session.Runner runner(
      Session session,
      ImageDataset data,
      int[] order,
      int from,
      int count,
      long step,
      List<TType> tensors) {
    Session.Runner runner = feedBatch(session.runner(), data, order, from, count, tensors);
    TInt64 index = TInt64.scalarOf(step);
    tensors.add(index);
    runner.feed(stepIndex, index).fetch(lossSum).fetch(correct);
    targets.forEach(runner::addTarget);
    return runner;
  }

  /**
   * Feeds the examples {@code order[from, from + count)} to the towers, split as evenly as possible
   * (earlier towers taking the rest), as stored bytes. The tensors it creates are added to {@code
   * tensors} for the caller to close after the run.
   */
  private Session.Runner feedBatch(
      Session.Runner runner,
      ImageDataset data,
      int[] order,
      int from,
      int count,
      List<TType> tensors) {
    int size = (int) shape.size();
    if (batch.length < count * size) {
      batch = new byte[count * size];
      labelValues = new byte[count];
    }
    data.copyImages(order, from, count, batch);
    for (int i = 0; i < count; i++) {
      labelValues[i] = (byte) data.label(order[from + i]);
    }
    int at = 0;
    for (int t = 0; t < images.size(); t++) {
      int left = images.size() - t;
      int n = (count - at + left - 1) / left;
      TUint8 x =
          TUint8.tensorOf(
              org.tensorflow.ndarray.Shape.of(n, size),
              DataBuffers.of(batch, true, false).offset((long) at * size).narrow((long) n * size));
      tensors.add(x);
      TUint8 y =
          TUint8.tensorOf(
              org.tensorflow.ndarray.Shape.of(n),
              DataBuffers.of(labelValues, true, false).offset(at).narrow(n));
      tensors.add(y);
      runner.feed(images.get(t), x).feed(labels.get(t), y);
      at += n;
    }
    return runner;
  }
}
