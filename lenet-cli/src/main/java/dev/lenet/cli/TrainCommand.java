package dev.lenet.cli;

import dev.lenet.api.data.MnistVariant;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.internal.Checkpoints;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.DirectoryLock;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.api.train.WeightInit;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTensorBoard;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lenet train}: the book's recipe by default, a run directory as the result. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train LeNet (the book's recipe by default) into a run directory.",
      "It holds metrics.json, metrics.csv, curves.png (redrawn every epoch) and the trained"
          + " model."
    })
final class TrainCommand implements Callable<Integer> {

  @ParentCommand Lenet parent;

  @Spec CommandSpec command;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "10",
      description = "Passes over the training set (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "256",
      description = "Examples per step (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Option(
      names = "--lr",
      paramLabel = "RATE",
      description =
          "Learning rate (default: the net's recipe: 0.9 classic, 1.0 batchnorm, 0.1 modern;"
              + " 0.9 with --spec).")
  Double learningRate;

  @Option(
      names = "--optimizer",
      paramLabel = "NAME",
      defaultValue = "sgd",
      description = "sgd, momentum or adam (default: ${DEFAULT-VALUE}).")
  Optimizer optimizer;

  @Option(
      names = "--init",
      paramLabel = "NAME",
      defaultValue = "xavier_uniform",
      description = "xavier_uniform, he_normal or zeros (default: ${DEFAULT-VALUE}).")
  WeightInit init;

  @Option(
      names = "--seed",
      paramLabel = "N",
      defaultValue = "0",
      description = "Seeds weights and shuffling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--device",
      paramLabel = "DEV",
      defaultValue = "auto",
      description = "auto, cpu, gpu or gpu:N (default: ${DEFAULT-VALUE}).")
  String device;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "0",
      description = "TensorFlow threads; 0 = every core (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--net",
      paramLabel = "NAME",
      description =
          "classic (the book's LeNet), batchnorm (the book's LeNet with batch normalization) or"
              + " modern (ReLU, max pooling, dropout); each trains with its own learning rate"
              + " (default: classic).")
  Net net;

  @Option(
      names = "--spec",
      paramLabel = "FILE",
      description = "A spec JSON file to train instead of a ready-made net.")
  Path spec;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Run directory (default: runs/<timestamp>).")
  Path out;

  @Option(
      names = "--checkpoint-every",
      paramLabel = "N",
      defaultValue = "1",
      description =
          "Checkpoint into <run>/checkpoints every N epochs; 0 = never (default: ${DEFAULT-VALUE}).")
  int checkpointEvery;

  @Option(
      names = "--resume",
      paramLabel = "RUN_DIR",
      description = "Continue a stopped run from its last checkpoint, with its own recipe.")
  Path resume;

  /** Options that set the recipe, which a resumed run takes from its checkpoint instead. */
  private static final List<String> RECIPE =
      List.of(
          "--epochs",
          "--batch-size",
          "--lr",
          "--optimizer",
          "--init",
          "--seed",
          "--device",
          "--threads",
          "--net",
          "--spec",
          "--out");

  @Override
  public Integer call() throws IOException {
    if (checkpointEvery < 0) {
      throw new UserError("--checkpoint-every must be >= 0, found " + checkpointEvery);
    }
    return resume == null ? fresh() : resumed();
  }

  /**
   * A new run. Everything that can fail early (the spec, the data, the recipe against the data, the
   * device) is checked before the run directory is created, so a failure leaves no empty directory
   * behind; then the directory is created and locked before anything is written in it.
   */
  @SuppressWarnings("try") // the lock is held for the block, not called
  private Integer fresh() throws IOException {
    if (net != null && spec != null) {
      throw new UserError("--net and --spec name two networks; give one");
    }
    Net ready = net == null ? Net.CLASSIC : net;
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(epochs)
            .batchSize(batchSize)
            .learningRate(
                learningRate != null
                    ? learningRate
                    : spec == null ? ready.learningRate() : Net.CLASSIC.learningRate())
            .optimizer(optimizer)
            .weightInit(init)
            .seed(seed)
            .device(Device.parse(device))
            .threads(Cores.capThreads(threads, command.commandLine().getErr()))
            .build();
    ModelSpec model = spec == null ? ready.spec() : SpecJson.read(spec);
    Path dir = RunDirectory.choose(out);
    RunDirectory.requireFresh(dir);
    TrainingData loaded = data.load();
    TfTrainer trainer = new TfTrainer();
    trainer.check(model, loaded, config);
    Path made = Directories.firstMissing(dir);
    try (DirectoryLock lock = RunDirectory.lock(Directories.create(dir))) {
      RunDirectory.requireNoRun(dir);
      try {
        train(trainer, model, loaded, config, dir);
      } catch (RuntimeException | IOException e) {
        // A run that fails before its first epoch (a diverging loss, a native error) leaves
        // nothing worth keeping in the directory it created.
        RunDirectory.removeFailed(dir, made);
        throw e;
      }
    }
    return 0;
  }

  private void train(
      TfTrainer trainer, ModelSpec model, TrainingData loaded, TrainingConfig config, Path dir)
      throws IOException {
    PrintWriter print = command.commandLine().getOut();
    print.printf(
        Locale.ROOT,
        "training %s (%,d parameters) on %s: %,d train / %,d test images%s%n",
        spec != null ? spec.getFileName() : Net.label(model),
        model.parameterCount(),
        data.dataset.id(),
        loaded.train().size(),
        loaded.test().size(),
        data.recognition(loaded));
    print.println("run directory: " + dir);
    Progress progress = new Progress(print, parent.terminal, epochs);
    TrainingListener listeners =
        TrainingListener.of(
            progress,
            new RunRecorder(
                dir, data.dataset.id(), DataOptions.recognised(loaded), Net.label(model)),
            new TfTensorBoard(dir.resolve(RunDirectory.TENSORBOARD)));
    try (TfModel trained = trainer.train(model, loaded, config, listeners, checkpoints(dir))) {
      finish(trained, dir, loaded.train().size());
    } catch (RuntimeException e) {
      progress.stopped();
      throw e;
    }
  }

  @SuppressWarnings("try") // the lock is held for the block, not called
  private Integer resumed() throws IOException {
    for (String option : RECIPE) {
      if (command.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new UserError(
            option + " cannot be combined with --resume: a resumed run keeps its own recipe");
      }
    }
    Directories.requireNotEmpty(resume, "--resume", "the run directory to resume");
    Path dir = resume;
    if (!Files.isDirectory(dir)) {
      throw new UserError(
          dir
              + (Files.exists(dir) ? " is not a directory" : " does not exist")
              + "; --resume takes a run directory");
    }
    Path checkpointDir = dir.resolve(RunDirectory.CHECKPOINTS);
    Supplier<UserError> none = () -> RunDirectory.noCheckpoint(dir, checkpointDir);
    if (!Files.isDirectory(checkpointDir)) {
      throw none.get();
    }
    try (DirectoryLock lock = RunDirectory.lock(dir)) {
      // Read under the lock: a run still going could be replacing its checkpoint.
      Checkpoint last = Checkpoints.latest(checkpointDir).orElseThrow(none);
      if (!command.commandLine().getParseResult().hasMatchedOption("--dataset")) {
        RunRecorder.datasetOf(dir).ifPresent(id -> data.dataset = MnistVariant.parse(id));
      }
      TrainingData loaded = data.load();
      PrintWriter print = command.commandLine().getOut();
      int total = last.config().epochs();
      print.printf(
          Locale.ROOT,
          "resuming %s after epoch %d of %d on %s%s%n",
          dir,
          last.epoch(),
          total,
          data.dataset.id(),
          data.recognition(loaded));
      Progress progress = new Progress(print, parent.terminal, total);
      TrainingListener listeners =
          TrainingListener.of(
              progress,
              new RunRecorder(
                  dir,
                  data.dataset.id(),
                  DataOptions.recognised(loaded),
                  Net.label(last.spec()),
                  last.history()),
              // A file of its own: TensorBoard reads every events file in the directory.
              TfTensorBoard.resuming(dir.resolve(RunDirectory.TENSORBOARD), last.history()));
      int every = checkpointEvery == 0 ? 1 : checkpointEvery;
      try (TfModel trained =
          new TfTrainer()
              .resume(
                  loaded,
                  listeners,
                  new CheckpointPolicy(checkpointDir, every, parent.checkpointHook))) {
        finish(trained, dir, loaded.train().size());
      } catch (RuntimeException e) {
        progress.stopped();
        throw e;
      }
    }
    return 0;
  }

  private CheckpointPolicy checkpoints(Path dir) {
    return checkpointEvery == 0
        ? CheckpointPolicy.NONE
        : new CheckpointPolicy(
            dir.resolve(RunDirectory.CHECKPOINTS), checkpointEvery, parent.checkpointHook);
  }

  /** Saves the model and prints the book's closing lines. */
  private void finish(TfModel trained, Path dir, int trainSize) throws IOException {
    PrintWriter print = command.commandLine().getOut();
    List<EpochMetrics> history = trained.history();
    EpochMetrics last = history.get(history.size() - 1);
    double seconds = history.stream().mapToDouble(EpochMetrics::seconds).sum();
    Path modelDir = dir.resolve(RunDirectory.MODEL);
    trained.save(modelDir);
    print.printf(
        Locale.ROOT,
        "loss %.3f, train acc %.3f, test acc %.3f%n",
        last.trainLoss(),
        last.trainAccuracy(),
        last.testAccuracy());
    print.printf(
        Locale.ROOT,
        "%.1f examples/sec on %s%n",
        (double) trainSize * history.size() / seconds,
        trained.device());
    print.println("model: " + modelDir + ", curves: " + dir.resolve(RunRecorder.CURVES_PNG));
    print.flush();
  }
}
