package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.Trainer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Trains specs with TensorFlow Java. Keeps no state between runs: each {@link #train} builds a new
 * graph and session and hands them to the {@link TfModel} it returns.
 *
 * <p>Per epoch it reports what the book reports: the mean training loss and accuracy over the
 * epoch's examples (measured as the weights changed), the test accuracy after the epoch, and
 * training examples per second counting training steps only.
 */
public final class TfTrainer implements Trainer {

  /** Test-set examples per evaluation call during training. */
  static final int EVAL_BATCH = 1024;

  public TfTrainer() {}

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public TfModel train(ModelSpec spec, TrainingData data, TrainingConfig config) {
    return train(spec, data, config, TrainingListener.NONE);
  }

  @Override
  public TfModel train(
      ModelSpec spec, TrainingData data, TrainingConfig config, TrainingListener listener) {
    ImageDataset trainSet = data.train();
    ImageDataset testSet = data.test();
    if (!trainSet.imageShape().equals(spec.input())) {
      throw new IllegalArgumentException(
          "the model takes "
              + spec.input()
              + " images but "
              + trainSet.name()
              + " holds "
              + trainSet.imageShape());
    }
    Device device = TfDevices.resolve(config.device());
    TfModel.Builder model = new TfModel.Builder(spec, trainSet.classNames(), device);
    try {
      TfTrainingGraph graph =
          TfTrainingGraph.build(model.graph, model.tf, model.network, trainSet, testSet, config);
      model.startSession(config.intraOpThreads(), config.interOpThreads());
      model.network.assign(
          model.session, Initializer.initialize(spec, config.weightInit(), config.seed()));
      graph.load(model.session, trainSet, testSet);
      listener.onStart(config, device);
      List<EpochMetrics> history = new ArrayList<>();
      for (int epoch = 1; epoch <= config.epochs(); epoch++) {
        EpochMetrics m = epoch(model, graph, trainSet, testSet, config, epoch, listener);
        history.add(m);
        listener.onEpoch(m);
      }
      return model.build(history, config);
    } catch (RuntimeException e) {
      model.abandon();
      throw TfErrors.translate("training", e);
    } catch (Error e) {
      model.abandon();
      throw e;
    }
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
      TfTrainingGraph.StepResult r = graph.step(model.session, order, from, count);
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
    long testRight = graph.testCorrect(model.session, testSet.size(), EVAL_BATCH);
    return new EpochMetrics(
        epoch,
        lossSum / n,
        (double) correct / n,
        testSet.size() == 0 ? 0 : (double) testRight / testSet.size(),
        n / seconds,
        seconds);
  }
}
