package dev.lenet.benchmarks.profile;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfOptions;
import dev.lenet.tf.model.ModelGraph;
import dev.lenet.tf.training.TfStepBatches;
import dev.lenet.tf.training.TfTrainingGraph;
import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.family.TType;

/**
 * The book's LeNet ready to step on Fashion-MNIST, for the profiling tools {@link StepTimer},
 * {@link StepProfile}, {@link StepOverlap} and {@link FirstSteps}: a graph, a session with the
 * initial weights, and an epoch's order. Arguments, not system properties, choose what differs:
 * threads, towers, the fast path and the spec file.
 */
final class StepHarness implements AutoCloseable {

  final ImageDataset train = FashionMnist.load().train();
  final int[] order = train.batches(256).shuffledOrder(0, 1);
  final ModelGraph model;
  final TfTrainingGraph graph;

  StepHarness(Setting s) {
    TrainingConfig config =
        TrainingConfig.builder()
            .intraOpThreads(s.intraOpThreads())
            .interOpThreads(s.interOpThreads())
            .device(Device.CPU)
            .build();
    ModelSpec spec = s.spec();
    model =
        ModelGraph.forTraining(
            spec,
            train.classNames().size(),
            Device.CPU,
            s.options().convolutionStages(),
            s.options().nativeKernels());
    int towers = s.options().towers() == 0 ? TfOptions.MAX_AUTO_TOWERS : s.options().towers();
    graph =
        TfTrainingGraph.build(
            model.graph(),
            model.tf(),
            model.network(),
            config,
            towers,
            // As a run of this config (the book's 10 epochs) would: the tools time such steps.
            s.options().resolveStepsPerCall(Device.CPU, config, train, 0));
    model.startSession(
        towers == 1 ? s.intraOpThreads() : Math.max(1, s.intraOpThreads() / towers),
        s.interOpThreads());
    model
        .network()
        .variables()
        .assign(model.session(), Initializer.initialize(spec, config.weightInit(), 0));
  }

  /**
   * What a tool measures: threads (0 = TensorFlow's default), backend options, and the spec.
   *
   * @param spec the book's LeNet unless a spec file was named
   */
  record Setting(int intraOpThreads, int interOpThreads, TfOptions options, ModelSpec spec) {}

  /** Training steps per session call: {@link #step} runs this many, so do traced steps. */
  int stepsPerCall() {
    return graph.stepsPerCall();
  }

  /** The epoch's full batch where call {@code i}'s first step starts (wrapping round). */
  private int firstExample(int i) {
    int k = graph.stepsPerCall();
    return (i * k) % (234 - k) * 256;
  }

  /** Call {@code i}'s batches: {@link #stepsPerCall()} steps of 256 examples. */
  private TfStepBatches call(int i) {
    return new TfStepBatches(train, order, firstExample(i), 256, graph.stepsPerCall(), i);
  }

  /** Call {@code i}: {@link #stepsPerCall()} steps of 256 examples. */
  void step(int i) {
    graph.steps(model.session(), call(i));
  }

  /** One traced call: TensorFlow's run metadata with per-op timings. */
  RunMetadata tracedStep(int i) {
    List<TType> tensors = new ArrayList<>();
    RunOptions options =
        RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build();
    try (Result r =
        graph.runner(model.session(), call(i), tensors).setOptions(options).runAndFetchMetadata()) {
      return r.getMetadata().orElseThrow();
    } finally {
      tensors.forEach(TType::close);
    }
  }

  /**
   * {@code [INTRA INTER] [--towers N] [--layer-by-layer] [--no-native-kernels] [--steps-per-call K]
   * [--spec FILE]} from {@code args[at..]}: threads default to TensorFlow's (0, 0), the rest to
   * {@link TfOptions#defaults()}.
   */
  static StepHarness fromArgs(String[] args, int at) {
    int intra = 0;
    int inter = 0;
    TfOptions options = TfOptions.defaults();
    ModelSpec spec = LeNet.classic();
    List<Integer> numbers = new ArrayList<>();
    for (int i = at; i < args.length; i++) {
      switch (args[i]) {
        case "--towers" -> options = options.withTowers(Integer.parseInt(args[++i]));
        case "--layer-by-layer" -> options = options.withConvolutionStages(false);
        case "--no-native-kernels" -> options = options.withNativeKernels(false);
        case "--steps-per-call" -> options = options.withStepsPerCall(Integer.parseInt(args[++i]));
        case "--spec" -> spec = SpecJson.read(java.nio.file.Path.of(args[++i]));
        default -> numbers.add(Integer.parseInt(args[i]));
      }
    }
    if (numbers.size() >= 2) {
      intra = numbers.get(0);
      inter = numbers.get(1);
    }
    return new StepHarness(new Setting(intra, inter, options, spec));
  }

  @Override
  public void close() {
    model.close();
  }
}
