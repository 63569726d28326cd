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
 */
public record TfOptions(boolean convolutionStages, int towers) {

  /** Let the backend choose the towers. */
  public static final int AUTO_TOWERS = 0;

  /** The most towers {@link #AUTO_TOWERS} picks on the CPU. */
  public static final int MAX_AUTO_TOWERS = 2;

  public TfOptions {
    if (towers < 0) {
      throw new IllegalArgumentException("towers must be >= 0 (0 = one per core), found " + towers);
    }
  }

  /** The fast path on, towers chosen by the backend. */
  public static TfOptions defaults() {
    return new TfOptions(true, AUTO_TOWERS);
  }

  /** These options with the convolution-stage fast path on or off. */
  public TfOptions withConvolutionStages(boolean on) {
    return new TfOptions(on, towers);
  }

  /** These options with {@code towers} towers ({@link #AUTO_TOWERS} to let the backend choose). */
  public TfOptions withTowers(int towers) {
    return new TfOptions(convolutionStages, towers);
  }
}
