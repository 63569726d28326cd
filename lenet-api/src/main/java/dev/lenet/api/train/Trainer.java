package dev.lenet.api.train;

import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;

/**
 * Trains a {@link ModelSpec} on a backend. A trainer keeps no state between runs: every call
 * returns a new, independent model. Create one directly (e.g. {@code new TfTrainer()}) or find one
 * with {@link Trainers#find()}.
 */
public interface Trainer {

  /** The backend's name, e.g. {@code tensorflow}. */
  String name();

  /**
   * Trains from fresh weights, testing after every epoch.
   *
   * @param spec the network; its input shape must match the data's image shape
   * @param data training and test sets
   * @param config epochs, batch size, optimizer, seed, device and threads
   * @param listener receives progress on the calling thread
   * @return the trained model; the caller closes it
   * @throws TrainingException if training fails (the message says why and what to try)
   * @throws IllegalArgumentException if spec and data do not fit together
   */
  TrainedModel train(
      ModelSpec spec, TrainingData data, TrainingConfig config, TrainingListener listener);

  /**
   * {@link #train(ModelSpec, TrainingData, TrainingConfig, TrainingListener)} without a listener.
   */
  default TrainedModel train(ModelSpec spec, TrainingData data, TrainingConfig config) {
    return train(spec, data, config, TrainingListener.NONE);
  }
}
