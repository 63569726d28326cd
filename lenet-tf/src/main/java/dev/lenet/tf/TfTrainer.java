package dev.lenet.tf;

import dev.lenet.api.data.TrainingData;
import dev.lenet.api.internal.Checkpoints;
import dev.lenet.api.io.FileErrors;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.DirectoryLock;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.Trainer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.tf.runtime.TfDevices;
import dev.lenet.tf.training.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

  /**
   * Checks what {@link #train} would refuse before building anything, so that a caller can stop
   * before it creates files: the spec's input shape and class count against the data, the batch
   * size against the training set, and the device (a GPU TensorFlow does not see).
   *
   * @return the plan a run with {@code config} would use (its set-up times and fast paths are
   *     filled in once the graph exists)
   * @throws IllegalArgumentException naming the spec's and the data's values if they do not fit
   * @throws TrainingException if the config asks for a GPU TensorFlow does not see
   */
  public ExecutionPlan check(ModelSpec spec, TrainingData data, TrainingConfig config) {
    TfModel.requireFits(spec, data.train());
    int classes = data.train().classNames().size();
    if (classes != spec.classes()) {
      throw new IllegalArgumentException(
          data.train().name()
              + " has "
              + classes
              + " classes but the model's last layer outputs "
              + spec.classes());
    }
    int examples = data.train().size();
    if (config.batchSize() > examples) {
      throw new IllegalArgumentException(
          String.format(
              java.util.Locale.ROOT,
              "batch size %d is larger than the training set (%s: %d images); choose at most %d",
              config.batchSize(),
              data.train().name(),
              examples,
              examples));
    }
    return plan(config);
  }

  /** Trains from fresh weights ({@code start} null) or from a checkpoint. */
  private TfModel run(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      TrainingListener listener,
      CheckpointPolicy checkpoints,
      Checkpoint start) {
    ExecutionPlan plan = check(spec, data, config);
    DirectoryLock lock = lock(checkpoints.directory());
    try {
      TrainingRun.Result r =
          TrainingRun.run(spec, data, config, plan, options, listener, checkpoints, start);
      return new TfModel(
          r.graph(), data.train().classNames(), r.history(), config, data.identity(), r.plan());
    } finally {
      release(lock);
    }
  }

  /**
   * Takes {@code dir} for this run (creating it), so that two runs never write checkpoints into one
   * directory; null for no checkpoints.
   */
  private static DirectoryLock lock(Path dir) {
    if (dir == null) {
      return null;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot create the checkpoint directory " + dir + ": " + FileErrors.creatingDirectory(e),
          e);
    }
    try {
      return DirectoryLock.acquire(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot lock the checkpoint directory "
              + dir
              + " through "
              + dir.resolve(DirectoryLock.FILE)
              + ": "
              + FileErrors.reason(e),
          e);
    }
  }

  private static void release(DirectoryLock lock) {
    if (lock == null) {
      return;
    }
    try {
      lock.close();
    } catch (IOException e) {
      // The kernel drops the lock when the process ends; nothing is lost.
    }
  }

  /**
   * The device, towers and threads a run with {@code config} uses (set-up times and fast paths are
   * filled in once the graph exists). Thread counts above this machine's cores are capped at them:
   * more threads than cores only make the threads wait for each other (a run with 1000 threads on
   * two cores took 28 times as long); the plan reports the threads used.
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
            TfDevices.config(likely, likelyPlan.intraOpThreads(), likelyPlan.interOpThreads()));
    return device.equals(likely) ? likelyPlan : planOn(device, config);
  }

  /** The plan of a run with {@code config} on {@code device}, a resolved device. */
  private ExecutionPlan planOn(Device device, TrainingConfig config) {
    int towers = towers(device);
    int cores = Runtime.getRuntime().availableProcessors();
    return new ExecutionPlan(
        device,
        towers,
        intraOpThreads(Math.min(config.intraOpThreads(), cores), towers),
        Math.min(config.interOpThreads(), cores),
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
   * Threads per op. With towers running side by side the {@code threads} intra-op threads are
   * shared among them (at least one each), so that {@code threads(2)} still means two cores;
   * TensorFlow's default (0) becomes one thread per op.
   */
  static int intraOpThreads(int threads, int towers) {
    if (towers == 1) {
      return threads;
    }
    return Math.max(1, threads / towers);
  }
}
