package dev.lenet.api.train;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and how often training saves checkpoints to resume from.
 *
 * @param directory where checkpoints go (one subdirectory each), or null for none
 * @param everyEpochs save after every this many epochs, and always after the last; > 0
 * @param hook told as each checkpoint write reaches each stage ({@link CheckpointHook#NONE} unless
 *     a crash test plugs one in)
 */
public record CheckpointPolicy(Path directory, int everyEpochs, CheckpointHook hook) {

  /** No checkpoints. */
  public static final CheckpointPolicy NONE = new CheckpointPolicy(null, 1);

  public CheckpointPolicy {
    if (everyEpochs <= 0) {
      throw new IllegalArgumentException(
          "checkpoint interval must be > 0 epochs, found " + everyEpochs);
    }
    Objects.requireNonNull(hook, "hook (CheckpointHook.NONE for none)");
  }

  /** Checkpoints every {@code everyEpochs} epochs in {@code directory}, with no hook. */
  public CheckpointPolicy(Path directory, int everyEpochs) {
    this(directory, everyEpochs, CheckpointHook.NONE);
  }

  /** A checkpoint after every epoch in {@code directory}. */
  public static CheckpointPolicy everyEpoch(Path directory) {
    return new CheckpointPolicy(directory, 1);
  }

  /** This policy with {@code hook} told about every checkpoint write. */
  public CheckpointPolicy withHook(CheckpointHook hook) {
    return new CheckpointPolicy(directory, everyEpochs, hook);
  }

  /** Whether a checkpoint is due after {@code epoch} of {@code epochs}. */
  public boolean due(int epoch, int epochs) {
    return directory != null && (epoch % everyEpochs == 0 || epoch == epochs);
  }
}
