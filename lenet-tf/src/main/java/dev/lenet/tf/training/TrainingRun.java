package dev.lenet.tf.training;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.internal.Checkpoints;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.tf.TfOptions;
import dev.lenet.tf.model.ModelGraph;
import dev.lenet.tf.runtime.TfErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One training run: builds the graph, starts the session, sets the first weights (fresh or from a
 * checkpoint), warms up, then runs the epochs, reporting what the book reports and writing
 * checkpoints as the policy says. What it built is handed to the caller in {@link Result}, or
 * closed if training fails.
 */
public final class TrainingRun {

  /** Checkpoint names of optimizer variables start with this; weights use their API names. */
  static final String OPTIMIZER_PREFIX = "optimizer:";

  /** A finished run: its graph and session, metrics and plan. */
  public record Result(ModelGraph graph, List<EpochMetrics> history, ExecutionPlan plan) {}

  private TrainingRun() {}

  /**
   * Trains {@code spec} from fresh weights ({@code start} null) or from a checkpoint.
   *
   * @param plan the resolved device, towers, threads and fast paths (its set-up times are filled in
   *     here)
   * @param options the fast path and the steps per session call (towers are resolved in {@code
   *     plan})
   */
  public static Result run(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      ExecutionPlan plan,
      TfOptions options,
      TrainingListener listener,
      CheckpointPolicy checkpoints,
      Checkpoint start) {
    ImageDataset trainSet = data.train();
    ModelGraph model =
        ModelGraph.forTraining(
            spec,
            trainSet.classNames().size(),
            plan.device(),
            options.convolutionStages(),
            options.nativeKernels());
    try {
      long t0 = System.nanoTime();
      TfTrainingGraph graph =
          TfTrainingGraph.build(
              model.graph(),
              model.tf(),
              model.network(),
              config,
              plan.towers(),
              options.resolveStepsPerCall(
                  plan.device(), config, trainSet, start == null ? 0 : start.epoch()));
      long t1 = System.nanoTime();
      model.startSession(plan.intraOpThreads(), plan.interOpThreads());
      List<EpochMetrics> history = new ArrayList<>();
      if (start == null) {
        model
            .network()
            .variables()
            .assign(
                model.session(), Initializer.initialize(spec, config.weightInit(), config.seed()));
      } else {
        // The checkpoint's optimizer tensors are set below; assign takes the network's by name.
        model.network().variables().assign(model.session(), start.tensors());
        graph.optimizerState().restore(model.session(), optimizerPart(start.tensors()));
        history.addAll(start.history());
      }
      long t2 = System.nanoTime();
      graph.warmUp(model.session(), model.network(), trainSet, config.batchSize());
      List<String> fastPaths = new ArrayList<>(model.network().fastPaths());
      if (graph.stepsPerCall() > 1) {
        fastPaths.add(graph.stepsPerCall() + " training steps per session call");
      }
      ExecutionPlan resolved =
          new ExecutionPlan(
              plan.device(),
              plan.towers(),
              plan.intraOpThreads(),
              plan.interOpThreads(),
              fastPaths,
              new ExecutionPlan.Setup(
                  (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9));
      listener.onStart(config, resolved);
      double maxLoss = config.maxLoss(spec.classes());
      for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
        EpochMetrics m = epoch(model, graph, data, config, maxLoss, epoch, listener);
        history.add(m);
        if (checkpoints.due(epoch, config.epochs())) {
          Map<String, float[]> tensors =
              new LinkedHashMap<>(model.network().variables().read(model.session()));
          graph
              .optimizerState()
              .read(model.session())
              .forEach((name, values) -> tensors.put(OPTIMIZER_PREFIX + name, values));
          Checkpoints.write(
              checkpoints.directory(),
              new Checkpoint(spec, config, trainSet.classNames(), epoch, history, tensors),
              checkpoints.hook());
        }
        listener.onEpoch(m);
      }
      return new Result(model, List.copyOf(history), resolved);
    } catch (IOException e) {
      model.close();
      throw new UncheckedIOException("cannot write a checkpoint: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      model.close();
      throw TfErrors.translate("training", e);
    } catch (Error e) {
      model.close();
      throw e;
    }
  }

  private static Map<String, float[]> optimizerPart(Map<String, float[]> tensors) {
    Map<String, float[]> out = new LinkedHashMap<>();
    tensors.forEach(
        (name, values) -> {
          if (name.startsWith(OPTIMIZER_PREFIX)) {
            out.put(name.substring(OPTIMIZER_PREFIX.length()), values);
          }
        });
    return out;
  }

  /**
   * Fails the run if batch {@code b} (from 0) of the epoch gave a mean loss past {@code maxLoss}.
   */
  private static void check(
      double meanLoss, double maxLoss, int epoch, int b, int batches, TrainingConfig config) {
    if (!Double.isFinite(meanLoss) || meanLoss > maxLoss) {
      throw new TrainingException(
          String.format(
              Locale.ROOT,
              "training diverged: the mean loss of epoch %d, batch %d of %d was %s, %s; try a"
                  + " smaller learning rate (it is %s)",
              epoch,
              b + 1,
              batches,
              meanLoss,
              Double.isFinite(meanLoss)
                  ? String.format(Locale.ROOT, "above the bound %.1f", maxLoss)
                  : "not a finite number",
              config.learningRate()));
    }
  }

  private static EpochMetrics epoch(
      ModelGraph model,
      TfTrainingGraph graph,
      TrainingData data,
      TrainingConfig config,
      double maxLoss,
      int epoch,
      TrainingListener listener) {
    ImageDataset trainSet = data.train();
    ImageDataset testSet = data.test();
    int n = trainSet.size();
    int batch = config.batchSize();
    int batches = (n + batch - 1) / batch;
    int[] order = trainSet.batches(batch).shuffledOrder(config.seed(), epoch);
    // Calls of all the graph's steps while that many full batches are left, then single steps:
    // two kinds of call, both warmed up.
    int full = n / batch;
    double lossSum = 0;
    long correct = 0;
    long nanos = 0;
    int b = 0;
    while (b < batches) {
      int from = b * batch;
      int count = Math.min(batch, n - from);
      int steps = b + graph.stepsPerCall() <= full ? graph.stepsPerCall() : 1;
      long started = System.nanoTime();
      List<TfTrainingGraph.StepResult> results =
          graph.steps(
              model.session(),
              new TfStepBatches(
                  trainSet, order, from, count, steps, (long) (epoch - 1) * batches + b));
      nanos += System.nanoTime() - started;
      for (TfTrainingGraph.StepResult r : results) {
        check(r.lossSum() / count, maxLoss, epoch, b, batches, config);
        lossSum += r.lossSum();
        correct += r.correct();
        b++;
        long seen = Math.min((long) b * batch, n);
        listener.onBatch(
            new BatchProgress(
                epoch, b, batches, seen, lossSum / seen, (double) correct / seen, nanos / 1e9));
      }
    }
    double seconds = nanos / 1e9;
    int[] predicted = model.predictedClasses(testSet);
    long testRight = 0;
    for (int i = 0; i < predicted.length; i++) {
      if (predicted[i] == testSet.label(i)) {
        testRight++;
      }
    }
    return new EpochMetrics(
        epoch,
        lossSum / n,
        (double) correct / n,
        testSet.size() == 0 ? 0 : (double) testRight / testSet.size(),
        n / seconds,
        seconds);
  }
}
