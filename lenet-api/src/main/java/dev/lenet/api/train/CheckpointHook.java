package dev.lenet.api.train;

import java.io.IOException;

/**
 * Told when writing a checkpoint reaches each of its stages. It is the seam for crash tests: a
 * test's hook halts the JVM at a stage, as a power cut or {@code kill -9} would, or throws as a
 * failing disk would. {@link #NONE}, the default, does nothing; nothing in the library halts.
 */
@FunctionalInterface
public interface CheckpointHook {

  /** Does nothing. */
  CheckpointHook NONE = (stage, epoch) -> {};

  /** The stages of writing one checkpoint, in order. */
  enum Stage {
    /**
     * Every file is written and forced to disk in {@code .epoch-NNNN.partial/}; the previous
     * checkpoint is still the newest.
     */
    FILES_WRITTEN,
    /** The checkpoint is renamed into place as {@code epoch-NNNN/}; older ones still exist. */
    RENAMED
  }

  /**
   * Called when writing the checkpoint after {@code epoch} reaches {@code stage}.
   *
   * @throws IOException to make the write fail at that stage
   */
  void reached(Stage stage, int epoch) throws IOException;
}
