package dev.lenet.tf;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.TrainingConfig;

/**
 * Milliseconds per training step of the book's LeNet, for A/B runs: {@code StepTimer [STEPS] [INTRA
 * INTER]} (threads default to 2 and 2).
 */
public final class StepTimer {
  private StepTimer() {}

  public static void main(String[] args) {
    int steps = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    TrainingData data = FashionMnist.load();
    int intra = args.length > 2 ? Integer.parseInt(args[1]) : 2;
    int inter = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    TrainingConfig config =
        TrainingConfig.builder()
            .intraOpThreads(intra)
            .interOpThreads(inter)
            .device(Device.CPU)
            .build();
    TfModel.Builder model =
        new TfModel.Builder(LeNet.classic(), data.train().classNames(), Device.CPU);
    TfTrainingGraph graph = TfTrainingGraph.build(model.graph, model.tf, model.network, config);
    model.startSession(intra, inter);
    model.network.assign(
        model.session, Initializer.initialize(LeNet.classic(), config.weightInit(), 0));
    int[] order = data.train().batches(256).shuffledOrder(0, 1);
    for (int i = 0; i < 40; i++) {
      graph.step(model.session, data.train(), order, i * 256, 256);
    }
    long t = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      graph.step(model.session, data.train(), order, (i % 230) * 256, 256);
    }
    double ms = (System.nanoTime() - t) / 1e6 / steps;
    System.out.printf("%.2f ms/step %.0f examples/s%n", ms, 256 / ms * 1000);
    model.abandon();
  }
}
