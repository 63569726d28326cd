package dev.lenet.api.train;

import java.nio.file.Path;

/**
 * Where and how often training saves checkpoints to resume from.
 *
 * @param directory where checkpoints go (one subdirectory each), or null for none
 * @param everyEpochs save after every this many epochs, and always after the last; > 0
 */
public record CheckpointPolicy(Path directory, int everyEpochs) {

  /** No checkpoints. */
  public static final CheckpointPolicy NONE = new CheckpointPolicy(null, 1);

  public CheckpointPolicy {
    if (everyEpochs <= 0) {
      throw new IllegalArgumentException(
          "checkpoint interval must be > 0 epochs, found " + everyEpochs);
    }
  }

  /** A checkpoint after every epoch in {@code directory}. */
  public static CheckpointPolicy everyEpoch(Path directory) {
    return new CheckpointPolicy(directory, 1);
  }

  /** Whether a checkpoint is due after {@code epoch} of {@code epochs}. */
  public boolean due(int epoch, int epochs) {
    return directory != null && (epoch % everyEpochs == 0 || epoch == epochs);
  }
}
