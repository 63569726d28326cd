package dev.lenet.cli;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfOptions;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lenet bench}: the book's recipe (on the CPU unless {@code --device} says otherwise),
 * measured the way the PyTorch peer {@code bench/peers/pytorch_lenet.py} measures itself, plus
 * inference figures. Prints one JSON line.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark training and inference of a LeNet (the book's by default); prints one JSON line.",
      "Training examples/sec counts training steps only, as the book and the PyTorch peer"
          + " (bench/peers/pytorch_lenet.py; bench/compare runs both) do."
    })
final class BenchCommand implements Callable<Integer> {

  /** Steps left out of the steady-state figure: the first ones warm up TensorFlow and the JIT. */
  static final int WARMUP_STEPS = 20;

  @Spec CommandSpec command;

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--net",
      paramLabel = "NAME",
      defaultValue = "classic",
      description =
          "classic, batchnorm or modern, trained with its recipe's learning rate (default:"
              + " ${DEFAULT-VALUE}).")
  Net net;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "1",
      description = "Epochs to train (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--threads",
      paramLabel = "N",
      defaultValue = "2",
      description =
          "TensorFlow threads, intra- and inter-op (default: ${DEFAULT-VALUE}, as the peer's"
              + " torch threads).")
  int threads;

  @Option(
      names = "--device",
      paramLabel = "DEV",
      defaultValue = "cpu",
      description =
          "cpu, auto, gpu or gpu:N (default: ${DEFAULT-VALUE}; auto measures what the GPU build's"
              + " probe costs when it falls back to the CPU).")
  String device;

  @Option(
      names = "--steps-per-call",
      paramLabel = "K",
      description =
          "Training steps per TensorFlow session call, 1 to "
              + TfOptions.MAX_STEPS_PER_CALL
              + ", or 0 for the backend's choice (the default: "
              + TfOptions.LONG_RUN_STEPS_PER_CALL
              + " on the CPU for runs of at least "
              + TfOptions.LONG_RUN_STEPS
              + " steps, else 1).")
  int stepsPerCall = TfOptions.AUTO_STEPS_PER_CALL;

  @Option(
      names = "--predictions",
      paramLabel = "N",
      defaultValue = "2000",
      description = "Single-image predictions to time (default: ${DEFAULT-VALUE}).")
  int predictions;

  @Override
  public Integer call() throws IOException {
    threads = Cores.capThreads(threads, command.commandLine().getErr());
    TfOptions options;
    try {
      options = TfOptions.defaults().withStepsPerCall(stepsPerCall);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          command.commandLine(), "--steps-per-call: " + e.getMessage());
    }
    long start = System.nanoTime();
    TrainingData loaded = data.load();
    double loadSeconds = seconds(start);
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(epochs)
            .threads(threads)
            .learningRate(net.learningRate())
            .device(Device.parse(device))
            .build();
    long[] steps = new long[2];
    double[] rss = new double[2];
    double rssAfterLoad = rssMegabytes("VmRSS");
    double[] firstStep = {-1};
    double[] steady = new double[2];
    long[] cpu = new long[2];
    long trainCall = System.nanoTime();
    int[] perCall = {1};
    TrainingListener timing =
        new TrainingListener() {
          @Override
          public void onStart(TrainingConfig c, ExecutionPlan plan) {
            rss[0] = rssMegabytes("VmRSS");
            perCall[0] = options.resolveStepsPerCall(plan.device(), config, loaded.train(), 0);
          }

          @Override
          public void onBatch(BatchProgress p) {
            if (p.batch() == 1 && p.epoch() == 1) {
              rss[1] = rssMegabytes("VmRSS");
            }
            if (firstStep[0] < 0) {
              firstStep[0] = seconds(trainCall);
            }
            if (p.epoch() == epochs) {
              // The steady window starts where a session call ends: a call's steps are reported
              // together, each with the call's end time.
              if (steps[0] == 0 && p.batch() >= WARMUP_STEPS && p.batch() % perCall[0] == 0) {
                steady[0] = p.seconds();
                steps[0] = p.examples();
                cpu[0] = processCpuNanos();
              }
              steady[1] = p.seconds();
              steps[1] = p.examples();
              cpu[1] = processCpuNanos();
            }
          }
        };
    Map<String, Object> out = new LinkedHashMap<>();
    try (TfModel model = new TfTrainer(options).train(net.spec(), loaded, config, timing)) {
      EpochMetrics first = model.history().get(0);
      double trainSeconds = model.history().stream().mapToDouble(EpochMetrics::seconds).sum();
      out.put("impl", "lenet-tf");
      out.put("variant", net.id());
      out.put("epochs", epochs);
      out.put("threads", threads);
      out.put(
          "train_examples_per_sec",
          round((double) loaded.train().size() * epochs / trainSeconds, 1));
      out.put("steady_examples_per_sec", round((steps[1] - steps[0]) / (steady[1] - steady[0]), 1));
      out.put(
          "steady_cpu_us_per_example",
          cpu[0] < 0 ? -1 : round((cpu[1] - cpu[0]) / 1e3 / (steps[1] - steps[0]), 2));
      out.put("load_seconds", round(loadSeconds, 3));
      ExecutionPlan plan = model.plan();
      out.put("device", plan.device().toString());
      out.put("towers", plan.towers());
      out.put("intra_op_threads", plan.intraOpThreads());
      out.put("steps_per_call", perCall[0]);
      out.put("fast_paths", plan.fastPaths());
      out.put("graph_seconds", round(plan.setup().graphSeconds(), 3));
      out.put("session_seconds", round(plan.setup().sessionSeconds(), 3));
      out.put("warm_up_seconds", round(plan.setup().warmUpSeconds(), 3));
      out.put("first_step_seconds", round(firstStep[0], 3));
      EpochMetrics last = model.history().get(epochs - 1);
      out.put("loss", round(last.trainLoss(), 4));
      out.put("train_acc", round(last.trainAccuracy(), 4));
      out.put("test_acc", round(last.testAccuracy(), 4));
      out.put("epoch1_seconds", round(first.seconds(), 3));
      inference(model, loaded.test(), out);
    }
    out.put("rss_after_data_mb", round(rssAfterLoad, 1));
    out.put("rss_after_setup_mb", round(rss[0], 1));
    out.put("rss_after_first_step_mb", round(rss[1], 1));
    out.put("rss_anon_end_mb", round(rssMegabytes("RssAnon"), 1));
    out.put("rss_file_end_mb", round(rssMegabytes("RssFile"), 1));
    out.put("peak_rss_mb", round(procStatus("VmHWM") / 1024.0, 1));
    out.put("wall_seconds", round(seconds(start), 2));
    PrintWriter print = command.commandLine().getOut();
    print.println(json(out));
    print.flush();
    return 0;
  }

  private void inference(TfModel model, ImageDataset test, Map<String, Object> out) {
    model.evaluate(test); // warm up
    long t = System.nanoTime();
    double accuracy = model.evaluate(test).accuracy();
    double evalSeconds = seconds(t);
    out.put("eval_seconds", round(evalSeconds, 4));
    out.put("eval_examples_per_sec", round(test.size() / evalSeconds, 1));
    out.put("eval_accuracy", round(accuracy, 4));

    float[] batch = test.batches(256).inOrder().iterator().next().images();
    for (int i = 0; i < 20; i++) {
      model.predict(batch, 256);
    }
    int rounds = 50;
    t = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      model.predict(batch, 256);
    }
    out.put("predict256_images_per_sec", round(256.0 * rounds / seconds(t), 1));

    float[] one = Arrays.copyOf(batch, 784);
    for (int i = 0; i < 200; i++) {
      model.predict(one);
    }
    double[] latency = new double[predictions];
    for (int i = 0; i < predictions; i++) {
      long s = System.nanoTime();
      model.predict(one);
      latency[i] = (System.nanoTime() - s) / 1e6;
    }
    Arrays.sort(latency);
    out.put("predict1_median_ms", round(latency[predictions / 2], 4));
    out.put("predict1_p99_ms", round(latency[(int) (predictions * 0.99)], 4));
  }

  private static double rssMegabytes(String key) {
    try {
      return procStatus(key) / 1024.0;
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * CPU time of the whole process so far (every thread, TensorFlow's included), or -1 where the JVM
   * cannot tell: on a shared machine CPU time per example moves much less than wall time.
   */
  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }

  private static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  /** A value in kB from /proc/self/status, or -1024 off Linux. */
  private static long procStatus(String key) throws IOException {
    Path status = Path.of("/proc/self/status");
    if (!Files.exists(status)) {
      return -1024;
    }
    for (String line : Files.readAllLines(status)) {
      if (line.startsWith(key + ":")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1024;
  }

  /** One JSON line, keys in insertion order. */
  private static String json(Map<String, Object> values) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(values);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the figures as JSON", e);
    }
  }
}
