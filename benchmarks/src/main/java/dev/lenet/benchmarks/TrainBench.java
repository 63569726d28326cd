package dev.lenet.benchmarks;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the book's LeNet on Fashion-MNIST and prints one JSON line per epoch: the book's metrics,
 * training examples/sec, and the process's resident memory (to see that long runs do not grow).
 *
 * <p>Usage: {@code TrainBench [EPOCHS] [THREADS]} (threads 0 = TensorFlow's default).
 */
public final class TrainBench {

  private TrainBench() {}

  public static void main(String[] args) {
    int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    long start = System.nanoTime();
    TrainingData data = FashionMnist.load();
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    TrainingConfig config = TrainingConfig.builder().epochs(epochs).threads(threads).build();
    TrainingListener printer =
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics m) {
            System.out.printf(
                Locale.ROOT,
                "{\"epoch\":%d,\"loss\":%.4f,\"train_acc\":%.4f,\"test_acc\":%.4f,"
                    + "\"examples_per_sec\":%.0f,\"seconds\":%.2f,\"rss_mb\":%.0f}%n",
                m.epoch(),
                m.trainLoss(),
                m.trainAccuracy(),
                m.testAccuracy(),
                m.examplesPerSecond(),
                m.seconds(),
                rssMegabytes());
          }
        };
    try (TfModel model = new TfTrainer().train(LeNet.classic(), data, config, printer)) {
      System.out.printf(
          Locale.ROOT,
          "{\"load_seconds\":%.3f,\"total_seconds\":%.2f,\"device\":\"%s\"}%n",
          loadSeconds,
          (System.nanoTime() - start) / 1e9,
          model.device());
    }
  }

  /** VmRSS from /proc/self/status, in MB; -1 where there is no /proc. */
  static double rssMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
