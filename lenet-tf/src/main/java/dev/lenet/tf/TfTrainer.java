package dev.lenet.tf;

import dev.lenet.api.data.TrainingData;
import dev.lenet.api.internal.Checkpoints;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.Trainer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.tf.runtime.TfDevices;
import dev.lenet.tf.training.TrainingRun;
import java.util.List;

/**
 * Trains specs with TensorFlow Java. Keeps no state between runs: each {@link #train} builds a new
 * graph and session and hands them to the {@link TfModel} it returns.
 *
 * <p>Per epoch it reports what the book reports: the mean training loss and accuracy over the
 * epoch's examples (measured as the weights changed), the test accuracy after the epoch, and
 * training examples per second counting training steps only.
 */
public final class TfTrainer implements Trainer {

  private final TfOptions options;

  /** A trainer with the default {@link TfOptions}. */
  public TfTrainer() {
    this(TfOptions.defaults());
  }

  /** A trainer that executes as {@code options} say. */
  public TfTrainer(TfOptions options) {
    this.options = java.util.Objects.requireNonNull(options, "options");
  }

  /** How this trainer executes. */
  public TfOptions options() {
    return options;
  }

  @Override
  public String name() {
    return "tensorflow";
  }

  @Override
  public TfModel train(ModelSpec spec, TrainingData data, TrainingConfig config) {
    return train(spec, data, config, TrainingListener.NONE, CheckpointPolicy.NONE);
  }

  @Override
  public TfModel train(
      ModelSpec spec, TrainingData data, TrainingConfig config, TrainingListener listener) {
    return train(spec, data, config, listener, CheckpointPolicy.NONE);
  }

  @Override
  public TfModel train(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      TrainingListener listener,
      CheckpointPolicy checkpoints) {
    return run(spec, data, config, listener, checkpoints, null);
  }

  @Override
  public TfModel resume(
      TrainingData data, TrainingListener listener, CheckpointPolicy checkpoints) {
    if (checkpoints.directory() == null) {
      throw new IllegalArgumentException("resume needs a checkpoint directory");
    }
    Checkpoint start =
        Checkpoints.latest(checkpoints.directory())
            .orElseThrow(
                () ->
                    new ModelFormatException(
                        checkpoints.directory()
                            + ": no checkpoint to resume from (expected epoch-NNNN directories)"));
    if (!start.classNames().equals(data.train().classNames())) {
      throw new IllegalArgumentException(
          "the checkpoint was trained on classes "
              + start.classNames()
              + " but the data has "
              + data.train().classNames());
    }
    return run(start.spec(), data, start.config(), listener, checkpoints, start);
  }

  /** Trains from fresh weights ({@code start} null) or from a checkpoint. */
  private TfModel run(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      TrainingListener listener,
      CheckpointPolicy checkpoints,
      Checkpoint start) {
    TfModel.requireFits(spec, data.train());
    ExecutionPlan plan = plan(config);
    TrainingRun.Result r =
        TrainingRun.run(
            spec, data, config, plan, options.convolutionStages(), listener, checkpoints, start);
    return new TfModel(r.graph(), data.train().classNames(), r.history(), config, r.plan());
  }

  /**
   * The device, towers and threads a run with {@code config} uses (set-up times and fast paths are
   * filled in once the graph exists).
   *
   * @throws TrainingException if the config asks for a GPU TensorFlow does not see
   */
  ExecutionPlan plan(TrainingConfig config) {
    // The GPU build probes with a session, which sizes TensorFlow's thread pools for the whole
    // process: give it the threads of the run it may become (auto: the CPU run it falls back to).
    Device likely = config.device().kind() == Device.Kind.GPU ? config.device() : Device.CPU;
    ExecutionPlan likelyPlan = planOn(likely, config);
    Device device =
        TfDevices.resolve(
            config.device(),
            TfDevices.config(likelyPlan.intraOpThreads(), likelyPlan.interOpThreads()));
    return device.equals(likely) ? likelyPlan : planOn(device, config);
  }

  /** The plan of a run with {@code config} on {@code device}, a resolved device. */
  private ExecutionPlan planOn(Device device, TrainingConfig config) {
    int towers = towers(device);
    return new ExecutionPlan(
        device,
        towers,
        intraOpThreads(config, towers),
        config.interOpThreads(),
        List.of(),
        ExecutionPlan.Setup.NONE);
  }

  /**
   * Towers per step: as the options say, or by default one per core on the CPU (at most {@link
   * TfOptions#MAX_AUTO_TOWERS}), each running its part of the batch on one thread, which keeps both
   * cores of this project's machines busier than splitting each small op across them (about 20%
   * faster steps for the book's LeNet, see docs/benchmarks.md); on a GPU one.
   */
  int towers(Device device) {
    if (options.towers() != TfOptions.AUTO_TOWERS) {
      return options.towers();
    }
    if (device.kind() != Device.Kind.CPU) {
      return 1;
    }
    return Math.max(
        1, Math.min(TfOptions.MAX_AUTO_TOWERS, Runtime.getRuntime().availableProcessors()));
  }

  /**
   * Threads per op. With towers running side by side the configured intra-op threads are shared
   * among them (at least one each), so that {@code threads(2)} still means two cores; TensorFlow's
   * default (0) becomes one thread per op.
   */
  static int intraOpThreads(TrainingConfig config, int towers) {
    if (towers == 1) {
      return config.intraOpThreads();
    }
    return Math.max(1, config.intraOpThreads() / towers);
  }
}
