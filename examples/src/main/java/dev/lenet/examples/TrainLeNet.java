package dev.lenet.examples;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfTrainer;
import java.nio.file.Path;

/**
 * The book's LeNet chapter (Dive into Deep Learning, 7.6) in Java: take the network, print each
 * layer's output shape for a 1x1x28x28 input, and train it on Fashion-MNIST with SGD, lr 0.9, batch
 * 256, 10 epochs.
 *
 * <p>Flags, all optional: {@code --epochs N}, {@code --data DIR} (the four IDX files), {@code
 * --limit N} (train on the first N images and test on the first N/6, for a quick look).
 */
public final class TrainLeNet {

  private TrainLeNet() {}

  public static void main(String[] args) {
    Flags flags = Flags.parse(args);
    run(flags.epochs(), flags.data(), flags.limit()).close();
  }

  /** The whole program; returns the trained model (the caller closes it). */
  public static TrainedModel run(int epochs, Path dataDir, int limit) {
    // The book's nn.Sequential; LeNet.classic() spells out the same builder calls.
    ModelSpec net = LeNet.classic();
    System.out.print(net.shapePrintout());

    int batchSize = 256;
    TrainingData data = fashionMnist(dataDir, limit);
    double lr = 0.9;
    return trainCh6(net, data, epochs, lr, batchSize, Device.AUTO);
  }

  /**
   * The book's {@code load_data_fashion_mnist}: from {@code dir} (null: the usual places), or with
   * {@code limit > 0} the first {@code limit} training and {@code limit / 6} test images.
   */
  static TrainingData fashionMnist(Path dir, int limit) {
    TrainingData data = FashionMnist.loader().directory(dir).load();
    if (limit <= 0) {
      return data;
    }
    return new TrainingData(
        data.train().slice(0, Math.min(limit, data.train().size())),
        data.test().slice(0, Math.min(Math.max(1, limit / 6), data.test().size())));
  }

  /** The flags every example takes: {@code --epochs N}, {@code --data DIR}, {@code --limit N}. */
  record Flags(int epochs, Path data, int limit) {
    static Flags parse(String[] args) {
      int epochs = 10;
      Path dir = null;
      int limit = 0;
      for (int i = 0; i + 1 < args.length; i += 2) {
        switch (args[i]) {
          case "--epochs" -> epochs = Integer.parseInt(args[i + 1]);
          case "--data" -> dir = Path.of(args[i + 1]);
          case "--limit" -> limit = Integer.parseInt(args[i + 1]);
          default -> throw new IllegalArgumentException("unknown flag " + args[i]);
        }
      }
      return new Flags(epochs, dir, limit);
    }
  }

  /** The book's {@code train_ch6}: trains and prints its closing lines. */
  static TrainedModel trainCh6(
      ModelSpec net, TrainingData data, int numEpochs, double lr, int batchSize, Device device) {
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(numEpochs)
            .learningRate(lr)
            .batchSize(batchSize)
            .device(device)
            .build();
    TrainedModel model = new TfTrainer().train(net, data, config);
    EpochMetrics last = model.history().get(numEpochs - 1);
    double seconds = model.history().stream().mapToDouble(EpochMetrics::seconds).sum();
    System.out.printf(
        "loss %.3f, train acc %.3f, test acc %.3f%n",
        last.trainLoss(), last.trainAccuracy(), last.testAccuracy());
    System.out.printf(
        "%.1f examples/sec on %s%n",
        (double) data.train().size() * numEpochs / seconds, model.device());
    return model;
  }
}
