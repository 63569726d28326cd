package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.Checkpoints;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.Trainer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains specs with TensorFlow Java. Keeps no state between runs: each {@link #train} builds a new
 * graph and session and hands them to the {@link TfModel} it returns.
 *
 * <p>Per epoch it reports what the book reports: the mean training loss and accuracy over the
 * epoch's examples (measured as the weights changed), the test accuracy after the epoch, and
 * training examples per second counting training steps only.
 */
public final class TfTrainer implements Trainer {

  public TfTrainer() {}

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public TfModel train(ModelSpec spec, TrainingData data, TrainingConfig config) {
    return train(spec, data, config, TrainingListener.NONE, CheckpointPolicy.NONE);
  }

  @Override
  public TfModel train(
      ModelSpec spec, TrainingData data, TrainingConfig config, TrainingListener listener) {
    return train(spec, data, config, listener, CheckpointPolicy.NONE);
  }

  @Override
  public TfModel train(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      TrainingListener listener,
      CheckpointPolicy checkpoints) {
    return run(spec, data, config, listener, checkpoints, null);
  }

  @Override
  public TfModel resume(
      TrainingData data, TrainingListener listener, CheckpointPolicy checkpoints) {
    if (checkpoints.directory() == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
    Checkpoint start =
        Checkpoints.latest(checkpoints.directory())
            .orElseThrow(
                () ->
                    new ModelFormatException(
                        checkpoints.directory()
                            + ": no checkpoint to resume from (expected epoch-NNNN directories)"));
    if (!start.classNames().equals(data.train().classNames())) {
      throw new IllegalArgumentException(
          "the checkpoint was trained on classes "
              + start.classNames()
              + " but the data has "
              + data.train().classNames());
    }
    return run(start.spec(), data, start.config(), listener, checkpoints, start);
  }

  /** Trains from fresh weights ({@code start} null) or from a checkpoint. */
  private TfModel run(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      TrainingListener listener,
      CheckpointPolicy checkpoints,
      Checkpoint start) {
    ImageDataset trainSet = data.train();
    ImageDataset testSet = data.test();
    TfModel.requireFits(spec, trainSet);
    Device device = TfDevices.resolve(config.device());
    TfModel.Builder model = new TfModel.Builder(spec, trainSet.classNames(), device);
    try {
      long t0 = System.nanoTime();
      TfTrainingGraph graph =
          TfTrainingGraph.build(model.graph, model.tf, model.network, config, towers(device));
      long t1 = System.nanoTime();
      model.startSession(intraOpThreads(config, device), config.interOpThreads());
      List<EpochMetrics> history = new ArrayList<>();
      if (start == null) {
        model.network.assign(
            model.session, Initializer.initialize(spec, config.weightInit(), config.seed()));
      } else {
        model.network.assign(model.session, start.tensors());
        graph.optimizerState().restore(model.session, optimizerPart(start.tensors()));
        history.addAll(start.history());
      }
      long t2 = System.nanoTime();
      graph.warmUp(model.session, model.network, trainSet, config.batchSize());
      model.setup =
          new TfModel.Setup((t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
      listener.onStart(config, device);
      for (int epoch = history.size() + 1; epoch <= config.epochs(); epoch++) {
        EpochMetrics m = epoch(model, graph, trainSet, testSet, config, epoch, listener);
        history.add(m);
        if (checkpoints.due(epoch, config.epochs())) {
          Map<String, float[]> tensors = new LinkedHashMap<>(model.network.read(model.session));
          graph
              .optimizerState()
              .read(model.session)
              .forEach((name, values) -> tensors.put(OPTIMIZER_PREFIX + name, values));
          Checkpoints.write(
              checkpoints.directory(),
              new Checkpoint(spec, config, trainSet.classNames(), epoch, history, tensors),
              checkpoints.hook());
        }
        listener.onEpoch(m);
      }
      return model.build(history, config);
    } catch (IOException e) {
      model.abandon();
      throw new UncheckedIOException("cannot write a checkpoint: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      model.abandon();
      throw TfErrors.translate("training", e);
    } catch (Error e) {
      model.abandon();
      throw e;
    }
  }

  /**
   * Towers per step: on the CPU one per core (at most {@link #MAX_CPU_TOWERS}), each running its
   * half of the batch on one thread, which keeps both cores of this project's machines busier than
   * splitting each small op across them (about 20% faster steps for the book's LeNet, see
   * docs/benchmarks.md); on a GPU one.
   */
  static int towers(Device device) {
    if (device.kind() != Device.Kind.CPU) {
      return 1;
    }
    return Math.max(1, Math.min(MAX_CPU_TOWERS, Runtime.getRuntime().availableProcessors()));
  }

  /** The most towers the CPU path splits a batch into. */
  static final int MAX_CPU_TOWERS = 2;

  /**
   * Threads per op. With towers running side by side on the CPU the configured intra-op threads are
   * shared among them (at least one each), so that {@code threads(2)} still means two cores;
   * TensorFlow's default (0) becomes one thread per op.
   */
  static int intraOpThreads(TrainingConfig config, Device device) {
    int towers = towers(device);
    if (towers == 1) {
      return config.intraOpThreads();
    }
    return Math.max(1, config.intraOpThreads() / towers);
  }

  /** Checkpoint names of optimizer variables start with this; weights use their API names. */
  static final String OPTIMIZER_PREFIX = "optimizer:";

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

  private static EpochMetrics epoch(
      TfModel.Builder model,
      TfTrainingGraph graph,
      ImageDataset trainSet,
      ImageDataset testSet,
      TrainingConfig config,
      int epoch,
      TrainingListener listener) {
    int n = trainSet.size();
    int batch = config.batchSize();
    int batches = (n + batch - 1) / batch;
    int[] order = trainSet.batches(batch).shuffledOrder(config.seed(), epoch);
    double lossSum = 0;
    long correct = 0;
    long nanos = 0;
    for (int b = 0; b < batches; b++) {
      int from = b * batch;
      int count = Math.min(batch, n - from);
      long start = System.nanoTime();
      TfTrainingGraph.StepResult r = graph.step(model.session, trainSet, order, from, count);
      nanos += System.nanoTime() - start;
      if (!Double.isFinite(r.lossSum())) {
        throw new TrainingException(
            String.format(
                Locale.ROOT,
                "training diverged: the loss became %s in epoch %d, batch %d of %d; try a lower"
                    + " learning rate (it is %s)",
                r.lossSum(),
                epoch,
                b + 1,
                batches,
                config.learningRate()));
      }
      lossSum += r.lossSum();
      correct += r.correct();
      long seen = from + count;
      listener.onBatch(
          new BatchProgress(
              epoch, b + 1, batches, seen, lossSum / seen, (double) correct / seen, nanos / 1e9));
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
