package dev.lenet.examples;

import dev.lenet.api.spec.LeNet;
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
    // LeNet.modern() spells it out with the builder: .conv2d(6, 5).padding(2).relu().maxPool(2, 2)
    // ... .dense(120).relu().dropout(0.5) ... .dense(10)
    ModelSpec net = LeNet.modern();
    System.out.print(net.shapePrintout());
    double lr = 0.1;
    return TrainLeNet.trainCh6(
        net, TrainLeNet.fashionMnist(dataDir, limit), epochs, lr, 256, Device.AUTO);
  }
}
