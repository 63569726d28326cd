package dev.lenet.examples;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainedModel;
import java.nio.file.Path;

/**
 * The book's batch-normalization chapter (Dive into Deep Learning, 8.5) in Java: LeNet with batch
 * normalization after each convolution and hidden dense layer, trained on Fashion-MNIST with SGD,
 * lr 1.0, batch 256, 10 epochs. Flags as {@link TrainLeNet}'s.
 */
public final class TrainBatchNormLeNet {

  private TrainBatchNormLeNet() {}

  public static void main(String[] args) {
    TrainLeNet.Flags flags = TrainLeNet.Flags.parse(args);
    run(flags.epochs(), flags.data(), flags.limit()).close();
  }

  /** The whole program; returns the trained model (the caller closes it). */
  public static TrainedModel run(int epochs, Path dataDir, int limit) {
    // The book's nn.Sequential with nn.BatchNorm2d / nn.BatchNorm1d after each convolution and
    // hidden dense layer; LeNet.batchNorm() spells it out with the builder:
    // .conv2d(6, 5).batchNorm().sigmoid().avgPool(2, 2) ... .dense(84).batchNorm().sigmoid()
    ModelSpec net = LeNet.batchNorm();
    System.out.print(net.shapePrintout());
    double lr = 1.0;
    return TrainLeNet.trainCh6(
        net, TrainLeNet.fashionMnist(dataDir, limit), epochs, lr, 256, Device.AUTO);
  }
}
