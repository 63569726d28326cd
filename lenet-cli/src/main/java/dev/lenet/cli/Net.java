package dev.lenet.cli;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import java.util.Locale;
import java.util.function.Supplier;

/** The ready-made networks {@code --net} names, each with its recipe's learning rate. */
enum Net {
  /** The book's LeNet (chapter "LeNet"): sigmoid, average pooling; lr 0.9. */
  CLASSIC(LeNet::classic, 0.9),
  /** The book's LeNet with batch normalization (chapter "Batch Normalization"); lr 1.0. */
  BATCHNORM(LeNet::batchNorm, 1.0),
  /** ReLU, max pooling and dropout 0.5 after the hidden dense layers; lr 0.1. */
  MODERN(LeNet::modern, 0.1);

  private final Supplier<ModelSpec> spec;
  private final double learningRate;

  Net(Supplier<ModelSpec> spec, double learningRate) {
    this.spec = spec;
    this.learningRate = learningRate;
  }

  ModelSpec spec() {
    return spec.get();
  }

  /** The learning rate of the net's recipe (batch 256, 10 epochs, Xavier, plain SGD). */
  double learningRate() {
    return learningRate;
  }

  /**
   * How reports name {@code spec}: {@code LeNet} for the book's, {@code batchnorm LeNet} or {@code
   * modern LeNet} for the others, {@code network} for any other spec.
   */
  static String label(ModelSpec spec) {
    for (Net net : values()) {
      if (net.spec().equals(spec)) {
        return net == CLASSIC ? "LeNet" : net.id() + " LeNet";
      }
    }
    return "network";
  }

  /** The name as {@code --net} takes it. */
  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
