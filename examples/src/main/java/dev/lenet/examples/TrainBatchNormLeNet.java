package dev.lenet.examples;

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
    // The book's nn.Sequential with nn.BatchNorm2d / nn.BatchNorm1d; LeNet.batchNorm() is the same.
    // spotless:off
    ModelSpec net = ModelSpec.builder()
        .input(1, 28, 28)
        .conv2d(6, 5).batchNorm().sigmoid()
        .avgPool(2, 2)
        .conv2d(16, 5).batchNorm().sigmoid()
        .avgPool(2, 2)
        .flatten()
        .dense(120).batchNorm().sigmoid()
        .dense(84).batchNorm().sigmoid()
        .dense(10)
        .build();
    // spotless:on
    System.out.print(net.shapePrintout());
    double lr = 1.0;
    return TrainLeNet.trainCh6(
        net, TrainLeNet.fashionMnist(dataDir, limit), epochs, lr, 256, Device.AUTO);
  }
}
