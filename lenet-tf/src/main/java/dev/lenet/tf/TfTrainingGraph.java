package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.framework.optimizers.Momentum;
import org.tensorflow.framework.optimizers.Optimizer.GradAndVar;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Assign;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.SoftmaxCrossEntropyWithLogits;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;
import org.tensorflow.types.family.TType;

/**
 * The training part of a model's graph. The data sets live in graph variables (unsigned bytes,
 * filled once through a placeholder); each step feeds only the batch's example indices, and the
 * gather, the scaling to [0, 1], the one-hot labels, the forward and backward passes and the update
 * all run inside TensorFlow.
 */
final class TfTrainingGraph {

  /**
   * One data set held in the graph: variables created zero-filled at session start and filled chunk
   * by chunk (rows {@code rows} get {@code imagesIn}/{@code labelsIn}), so that loading never holds
   * more than one chunk beside the variables.
   */
  private record Held(
      Variable<TUint8> images,
      Variable<TUint8> labels,
      Placeholder<TInt32> rows,
      Placeholder<TUint8> imagesIn,
      Placeholder<TUint8> labelsIn,
      Op fillImages,
      Op fillLabels,
      Placeholder<TInt32> indices) {}

  /** Examples copied into the graph per session call while loading. */
  static final int LOAD_CHUNK = 8192;

  private final Held train;
  private final Held test;
  private final Operand<TFloat32> lossSum;
  private final Operand<TInt32> correct;
  private final Op step;
  private final Operand<TInt32> testCorrect;
  private final java.util.Map<String, StateVar> optimizerState;

  /** An optimizer variable (momentum, Adam moments, beta powers) and the ops to set it. */
  private record StateVar(
      Operand<TFloat32> variable, Placeholder<TFloat32> value, Assign<TFloat32> assign) {}

  private TfTrainingGraph(
      Held train,
      Held test,
      Operand<TFloat32> lossSum,
      Operand<TInt32> correct,
      Op step,
      Operand<TInt32> testCorrect,
      java.util.Map<String, StateVar> optimizerState) {
    this.optimizerState = optimizerState;
    this.train = train;
    this.test = test;
    this.lossSum = lossSum;
    this.correct = correct;
    this.step = step;
    this.testCorrect = testCorrect;
  }

  static TfTrainingGraph build(
      Graph graph,
      Ops tf,
      TfNetwork network,
      ImageDataset trainSet,
      ImageDataset testSet,
      TrainingConfig config) {
    Shape shape = network.spec().input();
    int classes = network.spec().classes();
    Held train = hold(tf, "train", trainSet);
    Held test = hold(tf, "test", testSet);

    TfNetwork.Trace trace = network.forward(tf, images(tf, train, shape));
    Operand<TFloat32> logits = trace.logits();
    Operand<TInt32> labels = labels(tf, train);
    Operand<TFloat32> oneHot =
        tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    SoftmaxCrossEntropyWithLogits<TFloat32> crossEntropy =
        tf.nn.softmaxCrossEntropyWithLogits(logits, oneHot);
    Operand<TFloat32> perExample = crossEntropy.loss();
    Operand<TFloat32> lossSum = tf.sum(perExample, tf.constant(0));
    Operand<TInt32> correct = correct(tf, logits, labels);

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
    java.util.Set<String> before = variableNames(graph);
    Op step = optimizer(graph, config).applyGradients(pairs, "train_step");
    java.util.Map<String, StateVar> state = stateVars(graph, tf, before);

    Operand<TFloat32> testLogits = network.logits(tf, images(tf, test, shape));
    Operand<TInt32> testCorrect = correct(tf, testLogits, labels(tf, test));
    return new TfTrainingGraph(train, test, lossSum, correct, step, testCorrect, state);
  }

  private static java.util.Set<String> variableNames(Graph graph) {
    java.util.Set<String> names = new java.util.HashSet<>();
    graph
        .operations()
        .forEachRemaining(
            op -> {
              if (op.type().equals("VariableV2")) {
                names.add(op.name());
              }
            });
    return names;
  }

  /** The variables the optimizer added, each with a placeholder and assign to restore it. */
  private static java.util.Map<String, StateVar> stateVars(
      Graph graph, Ops tf, java.util.Set<String> before) {
    java.util.Map<String, StateVar> state = new java.util.TreeMap<>();
    for (String name : variableNames(graph)) {
      if (before.contains(name)) {
        continue;
      }
      org.tensorflow.GraphOperation op = graph.operation(name);
      Output<?> output = op.output(0);
      org.tensorflow.proto.DataType type = output.dataType();
      if (type != org.tensorflow.proto.DataType.DT_FLOAT
          && type != org.tensorflow.proto.DataType.DT_FLOAT_REF) {
        throw new IllegalStateException("optimizer variable " + name + " is not float32");
      }
      Operand<TFloat32> variable = output.expect(TFloat32.class);
      Placeholder<TFloat32> value =
          tf.withName(name.replace('/', '_') + "_restore")
              .placeholder(TFloat32.class, Placeholder.shape(variable.shape()));
      state.put(name, new StateVar(variable, value, tf.assign(variable, value)));
    }
    return state;
  }

  /** The optimizer's variables by graph name (empty for plain SGD). */
  java.util.Map<String, float[]> readOptimizerState(Session session) {
    java.util.Map<String, float[]> out = new java.util.LinkedHashMap<>();
    if (optimizerState.isEmpty()) {
      return out;
    }
    Session.Runner runner = session.runner();
    optimizerState.values().forEach(v -> runner.fetch(v.variable()));
    try (Result r = runner.run()) {
      int i = 0;
      for (String name : optimizerState.keySet()) {
        TFloat32 t = (TFloat32) r.get(i++);
        float[] values = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(values, false, false));
        out.put(name, values);
      }
    }
    return out;
  }

  /**
   * Restores the optimizer's variables.
   *
   * @throws IllegalArgumentException if one is missing or has the wrong size
   */
  void restoreOptimizerState(Session session, java.util.Map<String, float[]> values) {
    if (optimizerState.isEmpty()) {
      return;
    }
    Session.Runner runner = session.runner();
    List<TFloat32> tensors = new ArrayList<>();
    try {
      for (java.util.Map.Entry<String, StateVar> e : optimizerState.entrySet()) {
        float[] v = values.get(e.getKey());
        org.tensorflow.ndarray.Shape shape = e.getValue().variable().shape();
        if (v == null || v.length != shape.size()) {
          throw new IllegalArgumentException(
              "the checkpoint has no optimizer state "
                  + e.getKey()
                  + " of "
                  + shape.size()
                  + " values; was it written with another optimizer?");
        }
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(v, true, false));
        tensors.add(t);
        runner.feed(e.getValue().value(), t).addTarget(e.getValue().assign());
      }
      runner.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
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

  private static Held hold(Ops tf, String name, ImageDataset data) {
    long size = data.imageShape().size();
    org.tensorflow.ndarray.Shape imagesShape = org.tensorflow.ndarray.Shape.of(data.size(), size);
    org.tensorflow.ndarray.Shape labelsShape = org.tensorflow.ndarray.Shape.of(data.size());
    Variable<TUint8> images = tf.withName(name + "_images").variable(imagesShape, TUint8.class);
    Variable<TUint8> labels = tf.withName(name + "_labels").variable(labelsShape, TUint8.class);
    Ops init = tf.withInitScope();
    init.assign(images, init.zeros(init.constant(imagesShape.asArray()), TUint8.class));
    init.assign(labels, init.zeros(init.constant(labelsShape.asArray()), TUint8.class));
    Placeholder<TInt32> rows =
        tf.withName(name + "_rows")
            .placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
    Placeholder<TUint8> imagesIn =
        tf.withName(name + "_images_in")
            .placeholder(
                TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, size)));
    Placeholder<TUint8> labelsIn =
        tf.withName(name + "_labels_in")
            .placeholder(TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
    Placeholder<TInt32> indices =
        tf.withName(name + "_indices")
            .placeholder(TInt32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1)));
    return new Held(
        images,
        labels,
        rows,
        imagesIn,
        labelsIn,
        tf.scatterUpdate(images, rows, imagesIn),
        tf.scatterUpdate(labels, rows, labelsIn),
        indices);
  }

  /** The batch's images, gathered by index, scaled to [0, 1], NHWC. */
  private static Operand<TFloat32> images(Ops tf, Held held, Shape shape) {
    Operand<TUint8> rows = tf.gather(held.images(), held.indices(), tf.constant(0));
    Operand<TFloat32> scaled =
        tf.math.mul(tf.dtypes.cast(rows, TFloat32.class), tf.constant(1f / 255f));
    if (shape.channels() == 1) {
      return tf.reshape(scaled, tf.constant(new long[] {-1, shape.height(), shape.width(), 1}));
    }
    Operand<TFloat32> nchw =
        tf.reshape(
            scaled, tf.constant(new long[] {-1, shape.channels(), shape.height(), shape.width()}));
    return tf.linalg.transpose(nchw, tf.constant(new int[] {0, 2, 3, 1}));
  }

  private static Operand<TInt32> labels(Ops tf, Held held) {
    return tf.dtypes.cast(tf.gather(held.labels(), held.indices(), tf.constant(0)), TInt32.class);
  }

  private static Operand<TInt32> correct(Ops tf, Operand<TFloat32> logits, Operand<TInt32> labels) {
    Operand<TInt64> predicted = tf.math.argMax(logits, tf.constant(1));
    Operand<TInt32> hits =
        tf.dtypes.cast(
            tf.math.equal(predicted, tf.dtypes.cast(labels, TInt64.class)), TInt32.class);
    return tf.sum(hits, tf.constant(0));
  }

  /** Copies both data sets into their graph variables (once per run). */
  void load(Session session, ImageDataset trainSet, ImageDataset testSet) {
    fill(session, train, trainSet);
    fill(session, test, testSet);
  }

  private static void fill(Session session, Held held, ImageDataset data) {
    int size = (int) data.imageShape().size();
    java.nio.ByteBuffer pixels = data.pixelBuffer();
    java.nio.ByteBuffer labels = data.labelBuffer();
    for (int from = 0; from < data.size(); from += LOAD_CHUNK) {
      int count = Math.min(LOAD_CHUNK, data.size() - from);
      int[] rows = new int[count];
      for (int i = 0; i < count; i++) {
        rows[i] = from + i;
      }
      try (TInt32 rowTensor = TInt32.vectorOf(rows);
          TUint8 images =
              TUint8.tensorOf(
                  org.tensorflow.ndarray.Shape.of(count, size),
                  DataBuffers.of(pixels.slice(from * size, count * size)));
          TUint8 labelTensor =
              TUint8.tensorOf(
                  org.tensorflow.ndarray.Shape.of(count),
                  DataBuffers.of(labels.slice(from, count)))) {
        session
            .runner()
            .feed(held.rows(), rowTensor)
            .feed(held.imagesIn(), images)
            .feed(held.labelsIn(), labelTensor)
            .addTarget(held.fillImages())
            .addTarget(held.fillLabels())
            .run()
            .close();
      }
    }
  }

  /** Loss summed over the batch and the number classified right, after one update. */
  record StepResult(double lossSum, int correct) {}

  /** One training step on the examples {@code order[from, from + count)}. */
  StepResult step(Session session, int[] order, int from, int count) {
    try (TInt32 idx =
            TInt32.tensorOf(
                org.tensorflow.ndarray.Shape.of(count),
                DataBuffers.of(order, true, false).slice(from, count));
        Result r =
            session
                .runner()
                .feed(train.indices(), idx)
                .fetch(lossSum)
                .fetch(correct)
                .addTarget(step)
                .run()) {
      return new StepResult(((TFloat32) r.get(0)).getFloat(), ((TInt32) r.get(1)).getInt());
    }
  }

  /** One traced training step, for profiling: TensorFlow's run metadata with per-op timings. */
  org.tensorflow.proto.RunMetadata tracedStep(Session session, int[] order, int from, int count) {
    org.tensorflow.proto.RunOptions options =
        org.tensorflow.proto.RunOptions.newBuilder()
            .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE)
            .build();
    try (TInt32 idx =
            TInt32.tensorOf(
                org.tensorflow.ndarray.Shape.of(count),
                DataBuffers.of(order, true, false).slice(from, count));
        Result r =
            session
                .runner()
                .feed(train.indices(), idx)
                .fetch(lossSum)
                .fetch(correct)
                .addTarget(step)
                .setOptions(options)
                .runAndFetchMetadata()) {
      return r.getMetadata().orElseThrow();
    }
  }

  /** Examples of the test set classified right, evaluated in batches of {@code batch}. */
  long testCorrect(Session session, int testSize, int batch) {
    long right = 0;
    int[] all = new int[testSize];
    for (int i = 0; i < testSize; i++) {
      all[i] = i;
    }
    for (int from = 0; from < testSize; from += batch) {
      int count = Math.min(batch, testSize - from);
      try (TInt32 idx =
              TInt32.tensorOf(
                  org.tensorflow.ndarray.Shape.of(count),
                  DataBuffers.of(all, true, false).slice(from, count));
          Result r = session.runner().feed(test.indices(), idx).fetch(testCorrect).run()) {
        right += ((TInt32) r.get(0)).getInt();
      }
    }
    return right;
  }
}
