package dev.lenet.tf;

/**
 * How the TensorFlow backend executes, beside what {@link dev.lenet.api.train.TrainingConfig} says
 * (device, threads): values passed to {@link TfTrainer#TfTrainer(TfOptions)} and {@link
 * TfModel#load(java.nio.file.Path, TfOptions)}, never read from the environment. A training run
 * resolves them with its config into the {@link dev.lenet.api.train.ExecutionPlan} it reports.
 *
 * @param convolutionStages whether runs of "convolution (stride 1), activation, 2x2 pool" are
 *     computed as matrix products on space-to-depth blocks (the fast path; the same arithmetic in
 *     another order) rather than layer by layer
 * @param towers parts a training batch is split into, computed side by side with their gradients
 *     summed; {@link #AUTO_TOWERS} for one per core on the CPU (at most {@link #MAX_AUTO_TOWERS})
 *     and one on a GPU
 * @param stepsPerCall training steps run by one session call, from 1 to {@link
 *     #MAX_STEPS_PER_CALL}: the graph holds that many copies of a step, chained, which saves a
 *     call's fixed cost on all but one of them (the same updates, in the same order; a longer
 *     warm-up and a larger graph)
 */
public record TfOptions(boolean convolutionStages, int towers, int stepsPerCall) {

  /** Let the backend choose the towers. */
  public static final int AUTO_TOWERS = 0;

  /** The most towers {@link #AUTO_TOWERS} picks on the CPU. */
  public static final int MAX_AUTO_TOWERS = 2;

  /** The most steps one session call may run. */
  public static final int MAX_STEPS_PER_CALL = 16;

  /** Steps per session call by default. */
  public static final int DEFAULT_STEPS_PER_CALL = 1;

  public TfOptions {
    if (towers < 0) {
      throw new IllegalArgumentException("towers must be >= 0 (0 = one per core), found " + towers);
    }
    if (stepsPerCall < 1 || stepsPerCall > MAX_STEPS_PER_CALL) {
      throw new IllegalArgumentException(
          "steps per session call must be 1 to " + MAX_STEPS_PER_CALL + ", found " + stepsPerCall);
    }
  }

  /**
   * The fast path on, towers chosen by the backend, {@value #DEFAULT_STEPS_PER_CALL} steps per
   * session call.
   */
  public static TfOptions defaults() {
    return new TfOptions(true, AUTO_TOWERS, DEFAULT_STEPS_PER_CALL);
  }

  /** These options with the convolution-stage fast path on or off. */
  public TfOptions withConvolutionStages(boolean on) {
    return new TfOptions(on, towers, stepsPerCall);
  }

  /** These options with {@code towers} towers ({@link #AUTO_TOWERS} to let the backend choose). */
  public TfOptions withTowers(int towers) {
    return new TfOptions(convolutionStages, towers, stepsPerCall);
  }

  /** These options with {@code steps} training steps per session call. */
  public TfOptions withStepsPerCall(int steps) {
    return new TfOptions(convolutionStages, towers, steps);
  }
}
