package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainingConfig;

/**
 * How the TensorFlow backend executes, beside what {@link dev.lenet.api.train.TrainingConfig} says
 * (device, threads): values passed to {@link TfTrainer#TfTrainer(TfOptions)} and {@link
 * TfModel#load(java.nio.file.Path, TfOptions)}, never read from the environment. A training run
 * resolves them with its config into the {@link dev.lenet.api.train.ExecutionPlan} it reports.
 *
 * @param convolutionStages whether runs of "convolution (stride 1), batch normalization (optional),
 *     activation, 2x2 pool" are computed as matrix products on space-to-depth blocks (the fast
 *     path; the same arithmetic in another order) rather than layer by layer
 * @param towers parts a training batch is split into, computed side by side with their gradients
 *     summed; {@link #AUTO_TOWERS} for one per core on the CPU (at most {@link #MAX_AUTO_TOWERS})
 *     and one on a GPU
 * @param stepsPerCall training steps run by one session call, from 1 to {@link
 *     #MAX_STEPS_PER_CALL}, or {@link #AUTO_STEPS_PER_CALL}: the graph holds that many copies of a
 *     step, chained, which saves a call's fixed cost on all but one of them (the same updates, in
 *     the same order), for a longer set-up and more memory (about 0.3 s and 20 MB for 4 steps)
 * @param nativeKernels whether training on the CPU runs lenet's own kernels ({@link
 *     dev.lenet.tf.kernels.TfKernels}) where they replace several of TensorFlow's ops, on a
 *     platform lenet-tf's jar has them for (Linux x86-64); elsewhere, or when off, TensorFlow's own
 *     ops run, with the same results
 */
public record TfOptions(
    boolean convolutionStages, int towers, int stepsPerCall, boolean nativeKernels) {

  /** Let the backend choose the towers. */
  public static final int AUTO_TOWERS = 0;

  /** The most towers {@link #AUTO_TOWERS} picks on the CPU. */
  public static final int MAX_AUTO_TOWERS = 2;

  /** The most steps one session call may run. */
  public static final int MAX_STEPS_PER_CALL = 16;

  /**
   * Let the backend choose the steps per session call: {@link #LONG_RUN_STEPS_PER_CALL} on the CPU
   * for a run of at least {@link #LONG_RUN_STEPS} steps, which repays the longer set-up, else 1.
   */
  public static final int AUTO_STEPS_PER_CALL = 0;

  /** The steps per call {@link #AUTO_STEPS_PER_CALL} picks for a long run on the CPU. */
  public static final int LONG_RUN_STEPS_PER_CALL = 4;

  /**
   * The training steps from which {@link #AUTO_STEPS_PER_CALL} runs {@link
   * #LONG_RUN_STEPS_PER_CALL} per call: 4 steps per call save 0.2-0.5 ms a step here and cost about
   * 0.3 s of set-up, repaid after about 1,000 steps (4.3 epochs of Fashion-MNIST at batch 256).
   */
  public static final int LONG_RUN_STEPS = 1000;

  public TfOptions {
    if (towers < 0) {
      throw new IllegalArgumentException("towers must be >= 0 (0 = one per core), found " + towers);
    }
    if (stepsPerCall < 0 || stepsPerCall > MAX_STEPS_PER_CALL) {
      throw new IllegalArgumentException(
          "steps per session call must be 1 to "
              + MAX_STEPS_PER_CALL
              + " (0 = the backend's choice), found "
              + stepsPerCall);
    }
  }

  /**
   * The fast path and native kernels on, towers and steps per session call chosen by the backend.
   */
  public static TfOptions defaults() {
    return new TfOptions(true, AUTO_TOWERS, AUTO_STEPS_PER_CALL, true);
  }

  /** These options with the convolution-stage fast path on or off. */
  public TfOptions withConvolutionStages(boolean on) {
    return new TfOptions(on, towers, stepsPerCall, nativeKernels);
  }

  /** These options with {@code towers} towers ({@link #AUTO_TOWERS} to let the backend choose). */
  public TfOptions withTowers(int towers) {
    return new TfOptions(convolutionStages, towers, stepsPerCall, nativeKernels);
  }

  /**
   * The steps per session call of a run of {@code config} on {@code train} and {@code device}, from
   * epoch {@code epochsDone + 1} on: {@link #stepsPerCall()}, or for {@link #AUTO_STEPS_PER_CALL}
   * {@link #LONG_RUN_STEPS_PER_CALL} on the CPU if the steps left are at least {@link
   * #LONG_RUN_STEPS} and an epoch has that many full batches, else 1.
   */
  public int resolveStepsPerCall(
      Device device, TrainingConfig config, ImageDataset train, int epochsDone) {
    if (stepsPerCall != AUTO_STEPS_PER_CALL) {
      return stepsPerCall;
    }
    int batchSize = config.batchSize();
    long steps =
        (long) train.batches(batchSize).count() * Math.max(0, config.epochs() - epochsDone);
    return device.kind() == Device.Kind.CPU
            && steps >= LONG_RUN_STEPS
            && train.size() / batchSize >= LONG_RUN_STEPS_PER_CALL
        ? LONG_RUN_STEPS_PER_CALL
        : 1;
  }

  /**
   * These options with {@code steps} training steps per session call ({@link #AUTO_STEPS_PER_CALL}
   * to let the backend choose).
   */
  public TfOptions withStepsPerCall(int steps) {
    return new TfOptions(convolutionStages, towers, steps, nativeKernels);
  }

  /** These options with lenet's native kernels on or off (see {@link #nativeKernels()}). */
  public TfOptions withNativeKernels(boolean on) {
    return new TfOptions(convolutionStages, towers, stepsPerCall, on);
  }
}
