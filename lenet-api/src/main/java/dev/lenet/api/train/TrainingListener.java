package dev.lenet.api.train;

/**
 * Receives training progress on the training thread; keep the work in it short. Every method has an
 * empty default.
 */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /** Training is about to start on {@code device} (the one actually used, never auto). */
  default void onStart(TrainingConfig config, Device device) {}

  /** A training step finished. */
  default void onBatch(BatchProgress progress) {}

  /** An epoch finished and was evaluated on the test set. */
  default void onEpoch(EpochMetrics metrics) {}
}
