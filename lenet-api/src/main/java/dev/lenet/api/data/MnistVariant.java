package dev.lenet.api.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The two MNIST-format data sets the library knows: their class names, where systems install them,
 * where they can be downloaded and the published checksums of the downloads.
 */
public enum MnistVariant {
  /** Zalando's Fashion-MNIST, the book's data set. */
  FASHION_MNIST(
      "fashion-mnist",
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot"),
      List.of(Path.of("/usr/share/datasets/fashion-mnist")),
      List.of(
          URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
          URI.create(
              "https://raw.githubusercontent.com/zalandoresearch/fashion-mnist/master/data/fashion/")),
      Map.of(
          MnistFiles.TRAIN_IMAGES, "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
          MnistFiles.TRAIN_LABELS, "25c81989df183df01b3e8a0aad5dffbe",
          MnistFiles.TEST_IMAGES, "bef4ecab320f06d8554ea6380940ec79",
          MnistFiles.TEST_LABELS, "bb300cfdad3c16e7a12a480ee83cd310"),
      "apt-get install dataset-fashion-mnist"),

  /** LeCun's handwritten digits, the original LeNet's data set. */
  MNIST(
      "mnist",
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
      List.of(Path.of("/usr/share/datasets/mnist")),
      List.of(
          URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
          URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
      Map.of(
          MnistFiles.TRAIN_IMAGES, "f68b3c2dcbeaaa9fbdd348bbdeb94873",
          MnistFiles.TRAIN_LABELS, "d53e105ee54ea40749a09fcbcd1e9432",
          MnistFiles.TEST_IMAGES, "9fb629c4189551a2d022fa330f9573f3",
          MnistFiles.TEST_LABELS, "ec29112dd5afa0611ce80d1b7f02629c"),
      null);

  private final String id;
  private final List<String> classNames;
  private final List<Path> systemDirectories;
  private final List<URI> mirrors;
  private final Map<String, String> md5;
  private final String packageHint;

  MnistVariant(
      String id,
      List<String> classNames,
      List<Path> systemDirectories,
      List<URI> mirrors,
      Map<String, String> md5,
      String packageHint) {
    this.id = id;
    this.classNames = classNames;
    this.systemDirectories = systemDirectories;
    this.mirrors = mirrors;
    this.md5 = md5;
    this.packageHint = packageHint;
  }

  /** The name used on the command line and in the cache directory: {@code fashion-mnist}. */
  public String id() {
    return id;
  }

  /** Class names in label order. */
  public List<String> classNames() {
    return classNames;
  }

  /** Where operating-system packages install the files. */
  public List<Path> systemDirectories() {
    return systemDirectories;
  }

  /** Base URLs of the public mirrors, each holding the four {@code .gz} files. */
  public List<URI> mirrors() {
    return mirrors;
  }

  /** The published MD5 of {@code fileName + ".gz"} as served by the mirrors. */
  public String md5(String fileName) {
    return md5.get(fileName);
  }

  /** A package-manager command that installs the data, or null. */
  public String packageHint() {
    return packageHint;
  }

  /** Parses {@code fashion-mnist} or {@code mnist}. */
  public static MnistVariant parse(String id) {
    for (MnistVariant v : values()) {
      if (v.id.equalsIgnoreCase(id.trim())) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown data set '" + id + "'; use fashion-mnist or mnist");
  }
}
