package dev.lenet.api.data;

import dev.lenet.api.spec.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** The four IDX files of an MNIST-format data set in one directory, and reading them. */
public final class MnistFiles {

  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  /** The four file names, without {@code .gz}. */
  public static final List<String> NAMES =
      List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

  private MnistFiles() {}

  /** The file for {@code name} in {@code dir}, plain or with {@code .gz}, if either exists. */
  public static Optional<Path> find(Path dir, String name) {
    for (Path candidate : List.of(dir.resolve(name), dir.resolve(name + ".gz"))) {
      if (Files.exists(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code dir} holds all four files (each plain or gzipped). */
  public static boolean complete(Path dir) {
    return NAMES.stream().allMatch(name -> find(dir, name).isPresent());
  }

  /**
   * Reads the training and test sets from {@code dir}, labelled with {@code variant}'s class names,
   * and identifies them ({@link TrainingData#identity()}): the SHA-256 of each file's content and
   * the known set the files are, if any. The large training-images file is parsed on a second
   * thread while this one reads the others and then hashes the big file's bytes as they arrive.
   * Unlike {@link MnistLoader#load()} this does not refuse files recognised as another known set
   * than {@code variant} (see {@link DataIdentity#requireKnownAs}).
   *
   * @throws DatasetException naming the file and the problem; nothing is returned half-loaded
   */
  public static TrainingData read(Path dir, MnistVariant variant) {
    Path trainImages = require(dir, TRAIN_IMAGES);
    Path trainLabels = require(dir, TRAIN_LABELS);
    Path testImages = require(dir, TEST_IMAGES);
    Path testLabels = require(dir, TEST_LABELS);
    // The big file is decompressed on a second thread while this one reads the others, then
    // checksums the big file's bytes as they arrive (see PipedDigest). The thread is this call's
    // own, not a shared pool's: this one blocks on the digest's queue until the reader ends it.
    PipedDigest bigDigest = new PipedDigest();
    CompletableFuture<IdxArray> bigFile =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return IdxReader.read(trainImages, bigDigest::wrap);
              } finally {
                bigDigest.end();
              }
            },
            MnistFiles::startReader);
    Hashed testImageArray;
    Hashed testLabelArray;
    Hashed trainLabelArray;
    ImageDataset test;
    try {
      testImageArray = Hashed.of(IdxReader.read(testImages));
      testLabelArray = Hashed.of(IdxReader.read(testLabels));
      test =
          dataset(
              variant.id() + " test",
              testImages,
              testImageArray.array(),
              testLabels,
              testLabelArray.array(),
              variant.classNames());
      trainLabelArray = Hashed.of(IdxReader.read(trainLabels));
    } catch (RuntimeException e) {
      bigDigest.cancel(); // the reader stops at its next read instead of inflating the rest
      throw e;
    }
    Hashed trainImageArray;
    try {
      String sha256 = bigDigest.sha256();
      trainImageArray = new Hashed(bigFile.join(), sha256);
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
    ImageDataset train =
        dataset(
            variant.id() + " train",
            trainImages,
            trainImageArray.array(),
            trainLabels,
            trainLabelArray.array(),
            variant.classNames());
    if (!train.imageShape().equals(test.imageShape())) {
      throw new DatasetException(
          "image sizes differ between train and test: "
              + trainImages
              + " holds "
              + train.imageShape()
              + " images, "
              + testImages
              + " holds "
              + test.imageShape());
    }
    Map<String, String> sha256 =
        Map.of(
            TRAIN_IMAGES, trainImageArray.sha256(),
            TRAIN_LABELS, trainLabelArray.sha256(),
            TEST_IMAGES, testImageArray.sha256(),
            TEST_LABELS, testLabelArray.sha256());
    return new TrainingData(
        train,
        test,
        identify(
            Map.of(
                TRAIN_IMAGES, trainImages,
                TRAIN_LABELS, trainLabels,
                TEST_IMAGES, testImages,
                TEST_LABELS, testLabels),
            sha256));
  }

  /**
   * The identity of four files: the known set they are, if any (see {@link MnistVariant}), and
   * their content checksums.
   */
  static DataIdentity identify(Map<String, Path> files, Map<String, String> sha256) {
    for (MnistVariant v : MnistVariant.values()) {
      if (v.recognises(files, sha256)) {
        return new DataIdentity(v.id(), sha256);
      }
    }
    return new DataIdentity(null, sha256);
  }

  /** The MD5 of a file's bytes as stored, in lowercase hex. */
  static String md5(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("MD5");
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read the file: " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5", e);
    }
  }

  /** Runs the big file's reader on a thread of its own (a daemon: it never holds up an exit). */
  private static void startReader(Runnable reader) {
    Thread thread = new Thread(reader, "lenet-idx-reader");
    thread.setDaemon(true);
    thread.start();
  }

  /** A file's contents with their SHA-256. */
  private record Hashed(IdxArray array, String sha256) {
    static Hashed of(IdxArray array) {
      return new Hashed(array, array.sha256());
    }
  }

  /** Reads one images file and its labels file into a data set. */
  public static ImageDataset dataset(
      String name, Path images, Path labels, List<String> classNames) {
    return dataset(
        name, images, IdxReader.read(images), labels, IdxReader.read(labels), classNames);
  }

  private static ImageDataset dataset(
      String name,
      Path imagesFile,
      IdxArray images,
      Path labelsFile,
      IdxArray labels,
      List<String> classNames) {
    if (images.type() != IdxType.UNSIGNED_BYTE) {
      throw new DatasetException(
          imagesFile + ": images must be unsigned bytes, found " + images.type());
    }
    if (labels.type() != IdxType.UNSIGNED_BYTE) {
      throw new DatasetException(
          labelsFile + ": labels must be unsigned bytes, found " + labels.type());
    }
    List<Integer> d = images.dims();
    Shape shape;
    if (d.size() == 3) {
      shape = Shape.image(1, d.get(1), d.get(2));
    } else if (d.size() == 4) {
      shape = Shape.image(d.get(1), d.get(2), d.get(3));
    } else {
      throw new DatasetException(
          imagesFile + ": images need 3 dimensions (count, rows, columns), found " + d);
    }
    if (labels.dims().size() != 1) {
      throw new DatasetException(
          labelsFile + ": labels need 1 dimension (count), found " + labels.dims());
    }
    int count = d.get(0);
    if (labels.dims().get(0) != count) {
      throw new DatasetException(
          "images and labels differ in count: "
              + imagesFile
              + " holds "
              + count
              + " images, "
              + labelsFile
              + " holds "
              + labels.dims().get(0)
              + " labels");
    }
    byte[] labelBytes = labels.sharedBytes();
    for (int i = 0; i < labelBytes.length; i++) {
      int label = labelBytes[i] & 0xFF;
      if (label >= classNames.size()) {
        throw new DatasetException(
            labelsFile
                + ": label "
                + label
                + " of example "
                + i
                + " is outside the "
                + classNames.size()
                + " classes (0 to "
                + (classNames.size() - 1)
                + ")");
      }
    }
    return new ImageDataset(name, shape, images.sharedBytes(), labelBytes, classNames);
  }

  private static Path require(Path dir, String name) {
    return find(dir, name)
        .orElseThrow(
            () -> new DatasetException(dir + ": missing " + name + " (or " + name + ".gz)"));
  }
}
