package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
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
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The training part of a model's graph. Each step feeds the batch as it is stored, one unsigned
 * byte per pixel and per label (200 KB for 256 Fashion-MNIST images, gathered from the data set's
 * array in Java); the scaling to [0, 1], the one-hot labels, the forward and backward passes
 * ({@link TfBackprop}) and the update all run inside one session call. On the CPU the batch is
 * split into towers, one per core (see {@link #build}).
 */
final class TfTrainingGraph {

  private final Shape shape;
  private final List<Placeholder<TUint8>> images;
  private final List<Placeholder<TUint8>> labels;
  private final Operand<TFloat32> lossSum;
  private final Operand<TInt32> correct;
  private final Op step;
  private final TfOptimizerState optimizerState;

  /** Reused for every step's batch: training runs on one thread. */
  private byte[] batch = new byte[0];

  private byte[] labelValues = new byte[0];

  private TfTrainingGraph(
      Shape shape,
      List<Placeholder<TUint8>> images,
      List<Placeholder<TUint8>> labels,
      Operand<TFloat32> lossSum,
      Operand<TInt32> correct,
      Op step,
      TfOptimizerState optimizerState) {
    this.shape = shape;
    this.images = images;
    this.labels = labels;
    this.lossSum = lossSum;
    this.correct = correct;
    this.step = step;
    this.optimizerState = optimizerState;
  }

  /**
   * Builds the training ops with the batch split into {@code towers} parts whose forward and
   * backward passes are independent (so that TensorFlow can run them side by side, one per core)
   * and whose gradients are summed before one update: the same SGD step on the whole batch, up to
   * the order of the sums.
   */
  static TfTrainingGraph build(
      Graph graph, Ops tf, TfNetwork network, TrainingConfig config, int towers) {
    Shape shape = network.spec().input();
    int classes = network.spec().classes();
    List<Placeholder<TUint8>> images = new ArrayList<>();
    List<Placeholder<TUint8>> labelBytes = new ArrayList<>();
    List<Operand<TFloat32>> perExamples = new ArrayList<>();
    List<SoftmaxCrossEntropyWithLogits<TFloat32>> ces = new ArrayList<>();
    List<TfNetwork.Trace> traces = new ArrayList<>();
    Operand<TFloat32> lossSum = null;
    Operand<TInt32> correct = null;
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
      TfNetwork.Trace trace = network.forward(tf, TfImages.fromBytes(tf, x, shape));
      traces.add(trace);
      Operand<TInt32> labels = tf.dtypes.cast(yb, TInt32.class);
      Operand<TFloat32> oneHot =
          tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
      SoftmaxCrossEntropyWithLogits<TFloat32> ce =
          tf.nn.softmaxCrossEntropyWithLogits(trace.logits(), oneHot);
      ces.add(ce);
      Operand<TFloat32> towerLoss = tf.sum(ce.loss(), tf.constant(0));
      Operand<TInt64> predicted = tf.math.argMax(trace.logits(), tf.constant(1));
      Operand<TInt32> towerCorrect =
          tf.sum(
              tf.dtypes.cast(
                  tf.math.equal(predicted, tf.dtypes.cast(labels, TInt64.class)), TInt32.class),
              tf.constant(0));
      // The tower's size from its fed batch, not from its loss: each tower's backward pass then
      // starts as soon as its own forward pass is done, not when every tower's is.
      Operand<TInt32> n = tf.gather(tf.shape(x), tf.constant(0), tf.constant(0));
      lossSum = lossSum == null ? towerLoss : tf.math.add(lossSum, towerLoss);
      correct = correct == null ? towerCorrect : tf.math.add(correct, towerCorrect);
      total = total == null ? n : tf.math.add(total, n);
    }
    Operand<TFloat32> batchSize = tf.dtypes.cast(total, TFloat32.class);
    Map<String, Operand<TFloat32>> grads = new java.util.LinkedHashMap<>();
    for (int t = 0; t < towers; t++) {
      Operand<TFloat32> dLogits = tf.math.div(ces.get(t).backprop(), batchSize);
      Map<String, Operand<TFloat32>> g = TfBackprop.gradients(tf, network, traces.get(t), dLogits);
      g.forEach((k, v) -> grads.merge(k, v, (a, b) -> tf.math.add(a, b)));
    }
    List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (TfNetwork.Param p : network.params()) {
      pairs.add(new GradAndVar<>(grads.get(p.info().name()).asOutput(), p.variable().asOutput()));
    }
    Set<String> before = TfOptimizerState.variableNames(graph);
    Op step = optimizer(graph, config).applyGradients(pairs, "train_step");
    TfOptimizerState state = TfOptimizerState.added(graph, tf, before);
    return new TfTrainingGraph(shape, images, labelBytes, lossSum, correct, step, state);
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

  TfOptimizerState optimizerState() {
    return optimizerState;
  }

  /** Loss summed over the batch and the number classified right, after one update. */
  record StepResult(double lossSum, int correct) {}

  /** One training step on the examples {@code order[from, from + count)} of {@code data}. */
  StepResult step(Session session, ImageDataset data, int[] order, int from, int count) {
    try (Result r = run(session, data, order, from, count, null)) {
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
  void warmUp(Session session, TfNetwork network, ImageDataset data, int count) {
    int[] order = new int[Math.min(count, data.size())];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Map<String, float[]> weights = network.read(session);
    Map<String, float[]> slots = optimizerState.read(session);
    step(session, data, order, 0, order.length);
    network.assign(session, weights);
    optimizerState.restore(session, slots);
  }

  /** One traced training step, for profiling: TensorFlow's run metadata with per-op timings. */
  RunMetadata tracedStep(Session session, ImageDataset data, int[] order, int from, int count) {
    RunOptions options =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (Result r = run(session, data, order, from, count, options)) {
      return r.getMetadata().orElseThrow();
    }
  }

  private Result run(
      Session session, ImageDataset data, int[] order, int from, int count, RunOptions options) {
    List<TUint8> tensors = new ArrayList<>();
    try {
      Session.Runner runner = feedBatch(session.runner(), data, order, from, count, tensors);
      runner.fetch(lossSum).fetch(correct).addTarget(step);
      return options == null ? runner.run() : runner.setOptions(options).runAndFetchMetadata();
    } finally {
      tensors.forEach(TUint8::close);
    }
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
      List<TUint8> tensors) {
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
