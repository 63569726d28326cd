package dev.lenet.api.data;

import java.nio.file.Path;

/** Fashion-MNIST, the book's data set: 60,000 training and 10,000 test images, 10 classes. */
public final class FashionMnist {

  private FashionMnist() {}

  /** Finds (see {@link MnistLoader}) and loads Fashion-MNIST. */
  public static TrainingData load() {
    return loader().load();
  }

  /** Loads Fashion-MNIST from {@code dir}, and only from there (see {@link MnistLoader}). */
  public static TrainingData load(Path dir) {
    return loader().directory(dir).load();
  }

  /** A loader to configure where to look and whether to download. */
  public static MnistLoader loader() {
    return MnistLoader.of(MnistVariant.FASHION_MNIST);
  }
}
