package dev.lenet.api.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The two MNIST-format data sets the library knows: their class names, where systems install them,
 * where they can be downloaded, the published checksums of the downloads, and the checksums by
 * which files are recognised as this set wherever they come from.
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
      // The content of the files the mirrors serve, decompressed. Debian's dataset-fashion-mnist
      // holds the same bytes; its .gz files differ from the mirrors' (and so in MD5) only in the
      // gzip header, which lacks the original file name.
      Map.of(
          MnistFiles.TRAIN_IMAGES,
          "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
          MnistFiles.TRAIN_LABELS,
          "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
          MnistFiles.TEST_IMAGES,
          "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
          MnistFiles.TEST_LABELS,
          "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
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
      // Not known here: MNIST is recognised by the published MD5 of its .gz files only.
      Map.of(),
      null);

  private final String id;
  private final List<String> classNames;
  private final List<Path> systemDirectories;
  private final List<URI> mirrors;
  private final Map<String, String> md5;
  private final Map<String, String> contentSha256;
  private final String packageHint;

  MnistVariant(
      String id,
      List<String> classNames,
      List<Path> systemDirectories,
      List<URI> mirrors,
      Map<String, String> md5,
      Map<String, String> contentSha256,
      String packageHint) {
    this.id = id;
    this.classNames = classNames;
    this.systemDirectories = systemDirectories;
    this.mirrors = mirrors;
    this.md5 = md5;
    this.contentSha256 = contentSha256;
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

  /**
   * Whether files with these content SHA-256s ({@link IdxArray#sha256()}) and these paths are this
   * set: their contents match the set's known checksums, or each file is a {@code .gz} whose MD5 is
   * the published one of the download.
   *
   * @param files the four files, by name without {@code .gz}
   * @param sha256 the content SHA-256 of each, by the same names
   */
  boolean recognises(Map<String, Path> files, Map<String, String> sha256) {
    if (!contentSha256.isEmpty()
        && MnistFiles.NAMES.stream()
            .allMatch(n -> contentSha256.get(n).equalsIgnoreCase(sha256.get(n)))) {
      return true;
    }
    // The small labels file first, so that other data costs one short read, not four.
    for (String name :
        List.of(
            MnistFiles.TRAIN_LABELS,
            MnistFiles.TEST_LABELS,
            MnistFiles.TEST_IMAGES,
            MnistFiles.TRAIN_IMAGES)) {
      Path file = files.get(name);
      if (!file.getFileName().toString().endsWith(".gz")
          || !md5.get(name).equalsIgnoreCase(MnistFiles.md5(file))) {
        return false;
      }
    }
    return true;
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
