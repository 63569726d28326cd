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
      public void onStart(TrainingConfig config, ExecutionPlan plan) {
        all.forEach(l -> l.onStart(config, plan));
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

  /**
   * Training is about to start as {@code plan} says: on {@code plan.device()} (the one actually
   * used, never auto), split into its towers, with its fast paths.
   */
  default void onStart(TrainingConfig config, ExecutionPlan plan) {}

  /** A training step finished. */
  default void onBatch(BatchProgress progress) {}

  /** An epoch finished and was evaluated on the test set. */
  default void onEpoch(EpochMetrics metrics) {}
}
