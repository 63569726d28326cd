package dev.lenet.tf.training;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.network.TfNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.framework.optimizers.GradientDescent;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
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
 *
 * <p>The graph holds {@code stepsPerCall} copies of a step, each with its own batch, chained so
 * that copy {@code j} reads the weights copy {@code j - 1} wrote (its reads of the variables wait
 * for that copy's updates, see {@link dev.lenet.tf.layers.TfPass#read}): one session call can run
 * several steps, which saves a call's fixed cost (waking the threads, starting the executor,
 * feeding) on all but one of them. Copy 0 alone is the one-step call. The arithmetic of every step
 * is the same whichever call runs it.
 */
public final class TfTrainingGraph {

  private final Shape shape;
  private final List<TfTrainingStep> copies;
  private final Placeholder<TInt64> stepIndex;
  private final TfOptimizerState optimizerState;

  /** Reused for every call's batches: training runs on one thread. */
  private byte[] batch = new byte[0];

  private byte[] labelValues = new byte[0];

  private TfTrainingGraph(
      Shape shape,
      List<TfTrainingStep> copies,
      Placeholder<TInt64> stepIndex,
      TfOptimizerState optimizerState) {
    this.shape = shape;
    this.copies = copies;
    this.stepIndex = stepIndex;
    this.optimizerState = optimizerState;
  }

  /**
   * Builds the training ops with the batch split into {@code towers} parts whose forward and
   * backward passes are independent (so that TensorFlow can run them side by side, one per core)
   * and whose gradients are summed before one update: the same SGD step on the whole batch, up to
   * the order of the sums. The step is built {@code stepsPerCall} times, each copy's ops waiting
   * for the previous copy's updates.
   */
  public static TfTrainingGraph build(
      Graph graph, Ops tf, TfNetwork network, TrainingConfig config, int towers, int stepsPerCall) {
    if (stepsPerCall < 1) {
      throw new IllegalArgumentException("stepsPerCall must be >= 1, found " + stepsPerCall);
    }
    Placeholder<TInt64> stepIndex =
        tf.withName("train_step_index")
            .placeholder(TInt64.class, Placeholder.shape(org.tensorflow.ndarray.Shape.scalar()));
    Set<String> before = TfOptimizerState.variableNames(graph);
    org.tensorflow.framework.optimizers.Optimizer optimizer = optimizer(graph, config);
    List<TfTrainingStep> copies = new ArrayList<>();
    for (int j = 0; j < stepsPerCall; j++) {
      // Placeholders take no control dependencies: a fed tensor is there before the call starts.
      String suffix = j == 0 ? "" : "_step" + j;
      List<Placeholder<TUint8>> images = new ArrayList<>();
      List<Placeholder<TUint8>> labels = new ArrayList<>();
      for (int t = 0; t < towers; t++) {
        images.add(
            tf.withName("train_images_" + t + suffix)
                .placeholder(
                    TUint8.class,
                    Placeholder.shape(
                        org.tensorflow.ndarray.Shape.of(-1, network.spec().input().size()))));
        labels.add(
            tf.withName("train_labels_" + t + suffix)
                .placeholder(TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1))));
      }
      List<Op> after = j == 0 ? List.of() : copies.get(j - 1).targets();
      Operand<TInt64> step = j == 0 ? stepIndex : tf.math.add(stepIndex, tf.constant((long) j));
      copies.add(
          TfTrainingStep.build(
              tf,
              network,
              config,
              new TfTrainingStep.Feeds(images, labels, step, after),
              optimizer,
              "train_step" + suffix));
    }
    TfOptimizerState state = TfOptimizerState.added(graph, tf, before);
    return new TfTrainingGraph(network.spec().input(), List.copyOf(copies), stepIndex, state);
  }

  /**
   * The config's optimizer, made once for all copies of the step: every copy's update uses the same
   * slots (momentum accumulators, Adam's moments), which are created with the first.
   */
  private static org.tensorflow.framework.optimizers.Optimizer optimizer(
      Graph graph, TrainingConfig config) {
    float lr = (float) config.learningRate();
    Optimizer kind = config.optimizer();
    return switch (kind) {
      case SGD -> new GradientDescent(graph, lr);
      case MOMENTUM -> new TfMomentum(graph, lr, Optimizer.MOMENTUM_DEFAULT);
      case ADAM -> new TfAdam(graph, lr, 0.9f, 0.999f, 1e-8f);
    };
  }

  public TfOptimizerState optimizerState() {
    return optimizerState;
  }

  /** Training steps one session call can run: the copies of the step in the graph. */
  public int stepsPerCall() {
    return copies.size();
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
    return steps(session, new TfStepBatches(data, order, from, count, 1, step)).get(0);
  }

  /**
   * The training steps of {@code call} in one session call: the same updates as that many calls of
   * {@link #step}.
   *
   * @return each step's result, in order
   */
  public List<StepResult> steps(Session session, TfStepBatches call) {
    List<TType> tensors = new ArrayList<>();
    try (Result r = runner(session, call, tensors).run()) {
      List<StepResult> out = new ArrayList<>();
      for (int j = 0; j < call.steps(); j++) {
        out.add(
            new StepResult(
                ((TFloat32) r.get(2 * j)).getFloat(), ((TInt32) r.get(2 * j + 1)).getInt()));
      }
      return out;
    } finally {
      tensors.forEach(TType::close);
    }
  }

  /**
   * Runs the session calls training makes on the first examples of {@code data} (a call of one step
   * of {@code count} examples, split across the towers as in training, and a call of {@link
   * #stepsPerCall()} steps if an epoch has that many full batches), and then puts the weights and
   * the optimizer's state back as they were: TensorFlow prepares each kind of call (its executor
   * and kernels) the first time it runs, which would otherwise fall into the first timed steps. The
   * weights and the optimizer's state are unchanged, bit for bit.
   */
  public void warmUp(Session session, TfNetwork network, ImageDataset data, int count) {
    int size = Math.min(count, data.size());
    int steps = data.size() / size >= stepsPerCall() ? stepsPerCall() : 1;
    int[] order = new int[size * steps];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Map<String, float[]> weights = network.variables().read(session);
    Map<String, float[]> slots = optimizerState.read(session);
    step(session, data, order, 0, size, 0);
    if (steps > 1) {
      steps(session, new TfStepBatches(data, order, 0, size, steps, 0));
    }
    network.variables().assign(session, weights);
    optimizerState.restore(session, slots);
  }

  /**
   * A session call that runs the training steps of {@code call} and fetches each one's loss sum and
   * right answers; the tensors it feeds are added to {@code tensors} for the caller to close after
   * the run.
   */
  public Session.Runner runner(Session session, TfStepBatches call, List<TType> tensors) {
    if (call.steps() > copies.size()) {
      throw new IllegalArgumentException(
          "a call runs 1 to " + copies.size() + " steps, found " + call.steps());
    }
    Session.Runner runner = feedBatches(session.runner(), call, tensors);
    TInt64 index = TInt64.scalarOf(call.firstStep());
    tensors.add(index);
    runner.feed(stepIndex, index);
    for (TfTrainingStep c : copies.subList(0, call.steps())) {
      runner.fetch(c.lossSum()).fetch(c.correct());
      c.targets().forEach(runner::addTarget);
    }
    return runner;
  }

  /**
   * Feeds the batches of {@code call}, each to its copy of the step and split across the towers as
   * evenly as possible (earlier towers taking the rest), as stored bytes. The tensors it creates
   * are added to {@code tensors} for the caller to close after the run.
   */
  private Session.Runner feedBatches(
      Session.Runner runner, TfStepBatches call, List<TType> tensors) {
    ImageDataset data = call.data();
    int from = call.from();
    int count = call.count();
    int size = (int) shape.size();
    int examples = count * call.steps();
    if (batch.length < examples * size) {
      batch = new byte[examples * size];
      labelValues = new byte[examples];
    }
    data.copyImages(call.order(), from, examples, batch);
    for (int i = 0; i < examples; i++) {
      labelValues[i] = (byte) data.label(call.example(i));
    }
    int at = 0;
    for (TfTrainingStep c : copies.subList(0, call.steps())) {
      int end = at + count;
      for (int t = 0; t < c.images().size(); t++) {
        int left = c.images().size() - t;
        int n = (end - at + left - 1) / left;
        TUint8 x =
            TUint8.tensorOf(
                org.tensorflow.ndarray.Shape.of(n, size),
                DataBuffers.of(batch, true, false)
                    .offset((long) at * size)
                    .narrow((long) n * size));
        tensors.add(x);
        TUint8 y =
            TUint8.tensorOf(
                org.tensorflow.ndarray.Shape.of(n),
                DataBuffers.of(labelValues, true, false).offset(at).narrow(n));
        tensors.add(y);
        runner.feed(c.images().get(t), x).feed(c.labels().get(t), y);
        at += n;
      }
    }
    return runner;
  }
}
