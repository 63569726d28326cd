package dev.lenet.cli;

import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.EpochMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * The points of the book's animated plot: training loss and accuracy so far in the epoch, every
 * fifth of an epoch, and test accuracy after each epoch. Not thread-safe.
 */
final class Curves {

  /** Training points per epoch, as in the book's {@code train_ch6}. */
  static final int POINTS_PER_EPOCH = 5;

  private final List<Double> trainX = new ArrayList<>();
  private final List<Double> trainLoss = new ArrayList<>();
  private final List<Double> trainAccuracy = new ArrayList<>();
  private final List<Double> testX = new ArrayList<>();
  private final List<Double> testAccuracy = new ArrayList<>();

  /** Records a training point when this batch ends a fifth of the epoch (or the epoch). */
  void onBatch(BatchProgress p) {
    int step = Math.max(1, p.batches() / POINTS_PER_EPOCH);
    if (p.batch() % step == 0 || p.batch() == p.batches()) {
      trainX.add(p.epoch() - 1 + (double) p.batch() / p.batches());
      trainLoss.add(p.meanLoss());
      trainAccuracy.add(p.accuracy());
    }
  }

  /** An epoch from before a resume: only its end-of-epoch figures are known. */
  void onResumedEpoch(EpochMetrics m) {
    trainX.add((double) m.epoch());
    trainLoss.add(m.trainLoss());
    trainAccuracy.add(m.trainAccuracy());
    onEpoch(m);
  }

  void onEpoch(EpochMetrics m) {
    testX.add((double) m.epoch());
    testAccuracy.add(m.testAccuracy());
  }

  List<Double> trainX() {
    return trainX;
  }

  List<Double> trainLoss() {
    return trainLoss;
  }

  List<Double> trainAccuracy() {
    return trainAccuracy;
  }

  List<Double> testX() {
    return testX;
  }

  List<Double> testAccuracy() {
    return testAccuracy;
  }
}
