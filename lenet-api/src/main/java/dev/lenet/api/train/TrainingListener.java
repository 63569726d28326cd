package dev.lenet.api.train;

/**
 * Receives training progress on the training thread; keep the work in it short. Every method has an
 * empty default.
 */
public interface TrainingListener {

  /** A listener that ignores everything. */
  TrainingListener NONE = new TrainingListener() {};

  /** A listener that passes every event to each of {@code listeners}, in order. */
  static TrainingListener of(TrainingListener... listeners) {
    java.util.List<TrainingListener> all = java.util.List.of(listeners);
    return new TrainingListener() {
      @Override
      public void onStart(TrainingConfig config, Device device) {
        all.forEach(l -> l.onStart(config, device));
      }

      @Override
      public void onBatch(BatchProgress progress) {
        all.forEach(l -> l.onBatch(progress));
      }

      @Override
      public void onEpoch(EpochMetrics metrics) {
        all.forEach(l -> l.onEpoch(metrics));
      }
    };
  }

  /** Training is about to start on {@code device} (the one actually used, never auto). */
  default void onStart(TrainingConfig config, Device device) {}

  /** A training step finished. */
  default void onBatch(BatchProgress progress) {}

  /** An epoch finished and was evaluated on the test set. */
  default void onEpoch(EpochMetrics metrics) {}
}
