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
  default TrainedModel train(
      ModelSpec spec, TrainingData data, TrainingConfig config, TrainingListener listener) {
    return train(spec, data, config, listener, CheckpointPolicy.NONE);
  }

  /**
   * As {@link #train(ModelSpec, TrainingData, TrainingConfig, TrainingListener)}, saving
   * checkpoints as {@code checkpoints} says, so that {@link #resume} can continue the run.
   */
  TrainedModel train(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      TrainingListener listener,
      CheckpointPolicy checkpoints);

  /**
   * Continues a run from the newest checkpoint in {@code checkpoints.directory()} to the epochs its
   * config asks for, checkpointing on as {@code checkpoints} says. With the same data on one thread
   * the result equals an uninterrupted run's, bit for bit.
   *
   * @param data the same training and test sets the run started with
   * @throws ModelFormatException if there is no readable checkpoint (naming the directory)
   * @throws IllegalArgumentException if the data does not fit the checkpoint's spec and classes
   */
  TrainedModel resume(TrainingData data, TrainingListener listener, CheckpointPolicy checkpoints);

  /**
   * {@link #train(ModelSpec, TrainingData, TrainingConfig, TrainingListener)} without a listener.
   */
  default TrainedModel train(ModelSpec spec, TrainingData data, TrainingConfig config) {
    return train(spec, data, config, TrainingListener.NONE);
  }
}
