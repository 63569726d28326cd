package dev.lenet.tf;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.TrainingConfig;

/**
 * The book's LeNet ready to step on Fashion-MNIST, for the profiling tools {@link StepTimer} and
 * {@link StepProfile}: a graph, a session with the initial weights, and an epoch's order.
 */
final class StepHarness implements AutoCloseable {

  /** The book's LeNet, or the spec JSON file named by {@code -Dlenet.spec}. */
  static final ModelSpec SPEC = spec();

  final ImageDataset train = FashionMnist.load().train();
  final int[] order = train.batches(256).shuffledOrder(0, 1);
  final TfModel.Builder model;
  final TfTrainingGraph graph;

  StepHarness(int intraOpThreads, int interOpThreads) {
    TrainingConfig config =
        TrainingConfig.builder()
            .intraOpThreads(intraOpThreads)
            .interOpThreads(interOpThreads)
            .device(Device.CPU)
            .build();
    model = new TfModel.Builder(SPEC, train.classNames(), Device.CPU);
    graph =
        TfTrainingGraph.build(
            model.graph,
            model.tf,
            model.network,
            config,
            Integer.getInteger("lenet.towers", TfTrainer.towers(Device.CPU)));
    model.startSession(TfTrainer.intraOpThreads(config, Device.CPU), interOpThreads);
    model.network.assign(model.session, Initializer.initialize(SPEC, config.weightInit(), 0));
  }

  private static ModelSpec spec() {
    String file = System.getProperty("lenet.spec");
    return file == null ? LeNet.classic() : SpecJson.read(java.nio.file.Path.of(file));
  }

  /** Step {@code i} of the epoch (wrapping round), 256 examples. */
  void step(int i) {
    graph.step(model.session, train, order, (i % 230) * 256, 256);
  }

  /** Threads from {@code args[at]} and {@code args[at + 1]}, else the trainer's defaults (0, 0). */
  static StepHarness fromArgs(String[] args, int at) {
    boolean given = args.length > at + 1;
    return new StepHarness(
        given ? Integer.parseInt(args[at]) : 0, given ? Integer.parseInt(args[at + 1]) : 0);
  }

  @Override
  public void close() {
    model.abandon();
  }
}
