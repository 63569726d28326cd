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
 * ({@link TfBackprop}) and the update all run inside one session call.
 */
final class TfTrainingGraph {

  private final Shape shape;
  private final Placeholder<TUint8> images;
  private final Placeholder<TUint8> labels;
  private final Operand<TFloat32> lossSum;
  private final Operand<TInt32> correct;
  private final Op step;
  private final TfOptimizerState optimizerState;
  private final List<Operand<TFloat32>> gradients;

  /** Reused for every step's batch: training runs on one thread. */
  private byte[] batch = new byte[0];

  private byte[] labelValues = new byte[0];

  private TfTrainingGraph(
      Shape shape,
      Placeholder<TUint8> images,
      Placeholder<TUint8> labels,
      Operand<TFloat32> lossSum,
      Operand<TInt32> correct,
      Op step,
      TfOptimizerState optimizerState,
      List<Operand<TFloat32>> gradients) {
    this.gradients = gradients;
    this.shape = shape;
    this.images = images;
    this.labels = labels;
    this.lossSum = lossSum;
    this.correct = correct;
    this.step = step;
    this.optimizerState = optimizerState;
  }

  static TfTrainingGraph build(Graph graph, Ops tf, TfNetwork network, TrainingConfig config) {
    Shape shape = network.spec().input();
    int classes = network.spec().classes();
    Placeholder<TUint8> images =
        tf.withName("train_images")
            .placeholder(
                TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, shape.size())));
    Placeholder<TUint8> labelBytes =
        tf.withName("train_labels")
            .placeholder(TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));

    TfNetwork.Trace trace = network.forward(tf, TfImages.fromBytes(tf, images, shape));
    Operand<TFloat32> logits = trace.logits();
    Operand<TInt32> labels = tf.dtypes.cast(labelBytes, TInt32.class);
    Operand<TFloat32> oneHot =
        tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    SoftmaxCrossEntropyWithLogits<TFloat32> crossEntropy =
        tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot);
    Operand<TFloat32> perExample = crossEntropy.loss();
    Operand<TFloat32> lossSum = tf.sum(perExample, tf.constant(0));
    Operand<TInt64> predicted = tf.math.argMax(logits, tf.constant(1));
    Operand<TInt32> correct =
        tf.sum(
            tf.dtypes.cast(
                tf.math.equal(predicted, tf.dtypes.cast(labels, TInt64.class)), TInt32.class),
            tf.constant(0));

    // The loss is the batch mean: its gradient for the logits is (softmax - onehot) / batch.
    Operand<TFloat32> batchSize =
        tf.dtypes.cast(
            tf.gather(tf.shape(perExample), tf.constant(0), tf.constant(0)), TFloat32.class);
    Operand<TFloat32> dLogits = tf.math.div(crossEntropy.backprop(), batchSize);
    Map<String, Operand<TFloat32>> grads = TfBackprop.gradients(tf, network, trace, dLogits);
    List<GradAndVar<? extends TType>> pairs = new ArrayList<>();
    for (TfNetwork.Param p : network.params()) {
      pairs.add(new GradAndVar<>(grads.get(p.info().name()).asOutput(), p.variable().asOutput()));
    }
    Set<String> before = TfOptimizerState.variableNames(graph);
    Op step = optimizer(graph, config).applyGradients(pairs, "train_step");
    TfOptimizerState state = TfOptimizerState.added(graph, tf, before);
    return new TfTrainingGraph(
        shape, images, labelBytes, lossSum, correct, step, state, List.copyOf(grads.values()));
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
   * Runs the forward and backward passes once on {@code count} examples without updating anything,
   * so that TensorFlow optimizes the graph and creates its kernels before training is timed (the
   * first run of a graph costs most of a second here). The weights are unchanged.
   */
  void warmUp(Session session, ImageDataset data, int count) {
    int[] order = new int[Math.min(count, data.size())];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    int size = (int) shape.size();
    byte[] pixels = new byte[order.length * size];
    byte[] labelValues = new byte[order.length];
    data.copyImages(order, 0, order.length, pixels);
    for (int i = 0; i < order.length; i++) {
      labelValues[i] = (byte) data.label(i);
    }
    try (TUint8 x =
            TUint8.tensorOf(
                org.tensorflow.ndarray.Shape.of(order.length, size),
                DataBuffers.of(pixels, true, false));
        TUint8 y = TUint8.vectorOf(labelValues)) {
      Session.Runner runner = session.runner().feed(images, x).feed(labels, y).fetch(lossSum);
      gradients.forEach(runner::addTarget);
      runner.run().close();
    }
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
    int size = (int) shape.size();
    if (batch.length < count * size) {
      batch = new byte[count * size];
      labelValues = new byte[count];
    }
    data.copyImages(order, from, count, batch);
    for (int i = 0; i < count; i++) {
      labelValues[i] = (byte) data.label(order[from + i]);
    }
    try (TUint8 x =
            TUint8.tensorOf(
                org.tensorflow.ndarray.Shape.of(count, size),
                DataBuffers.of(batch, true, false).narrow((long) count * size));
        TUint8 y =
            TUint8.tensorOf(
                org.tensorflow.ndarray.Shape.of(count),
                DataBuffers.of(labelValues, true, false).narrow(count))) {
      Session.Runner runner =
          session.runner().feed(images, x).feed(labels, y).fetch(lossSum).fetch(correct);
      runner.addTarget(step);
      return options == null ? runner.run() : runner.setOptions(options).runAndFetchMetadata();
    }
  }
}
