package dev.lenet.examples;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainedModel;
import java.nio.file.Path;

/**
 * LeNet as it is usually trained today: ReLU, 2x2 max pooling and dropout 0.5 after the hidden
 * dense layers, on Fashion-MNIST with SGD, lr 0.1, batch 256, 10 epochs. Flags as {@link
 * TrainLeNet}'s.
 */
public final class TrainModernLeNet {

  private TrainModernLeNet() {}

  public static void main(String[] args) {
    TrainLeNet.Flags flags = TrainLeNet.Flags.parse(args);
    run(flags.epochs(), flags.data(), flags.limit()).close();
  }

  /** The whole program; returns the trained model (the caller closes it). */
  public static TrainedModel run(int epochs, Path dataDir, int limit) {
    // LeNet.modern() is the same network.
    // spotless:off
    ModelSpec net = ModelSpec.builder()
        .input(1, 28, 28)
        .conv2d(6, 5).padding(2).relu()
        .maxPool(2, 2)
        .conv2d(16, 5).relu()
        .maxPool(2, 2)
        .flatten()
        .dense(120).relu().dropout(0.5)
        .dense(84).relu().dropout(0.5)
        .dense(10)
        .build();
    // spotless:on
    System.out.print(net.shapePrintout());
    double lr = 0.1;
    return TrainLeNet.trainCh6(
        net, TrainLeNet.fashionMnist(dataDir, limit), epochs, lr, 256, Device.AUTO);
  }
}
