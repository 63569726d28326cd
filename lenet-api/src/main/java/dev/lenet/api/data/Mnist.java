package dev.lenet.api.data;

import java.nio.file.Path;

/** MNIST, the original LeNet's handwritten digits: 60,000 training and 10,000 test images. */
public final class Mnist {

  private Mnist() {}

  /** Finds (see {@link MnistLoader}) and loads MNIST. */
  public static TrainingData load() {
    return loader().load();
  }

  /** Loads MNIST from {@code dir}, and only from there (see {@link MnistLoader}). */
  public static TrainingData load(Path dir) {
    return loader().directory(dir).load();
  }

  /** A loader to configure where to look and whether to download. */
  public static MnistLoader loader() {
    return MnistLoader.of(MnistVariant.MNIST);
  }
}
