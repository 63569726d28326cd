package dev.lenet.spark;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.RealData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.image.TestImages;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * What the Spark tests share: a local[2] session, a LeNet trained for one epoch on the real
 * Fashion-MNIST, and its 10,000 test images as 8-bit gray PNG files named {@code INDEX_LABEL.png},
 * with {@link #BAD_FILES} bad files beside them, in a temporary directory.
 *
 * <p>One fixture serves every test class of the run: a class gets it as a parameter of its
 * {@code @BeforeAll} method through {@code @ExtendWith(SparkFixture.Shared.class)}; JUnit closes it
 * (stops Spark, deletes the directory) when all the tests have run.
 */
final class SparkFixture implements AutoCloseable {

  /** Files in the image directory that are not images a model can take. */
  static final int BAD_FILES = 3;

  private final Path dir;
  final SparkSession spark;
  final TrainingData data;
  final Path model;
  final Path images;

  private SparkFixture(Path dir, SparkSession spark, TrainingData data, Path model, Path images) {
    this.dir = dir;
    this.spark = spark;
    this.data = data;
    this.model = model;
    this.images = images;
  }

  /** Resolves a {@link SparkFixture} parameter to the one fixture of the test run. */
  static final class Shared implements ParameterResolver {

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == SparkFixture.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context
          .getRoot()
          .getStore(ExtensionContext.Namespace.create(SparkFixture.class))
          .getOrComputeIfAbsent(SparkFixture.class, key -> create(), SparkFixture.class);
    }
  }

  private static SparkFixture create() {
    Path dir = null;
    try {
      dir = Files.createTempDirectory("lenet-spark-test-");
      return create(dir);
    } catch (IOException | RuntimeException e) {
      if (dir != null) {
        delete(dir);
      }
      throw new IllegalStateException("could not set up the Spark tests' fixture", e);
    }
  }

  private static SparkFixture create(Path dir) throws IOException {
    TrainingData data = FashionMnist.loader().directory(RealData.fashionMnist()).load();
    Path model = dir.resolve("model");
    TrainingConfig config = TrainingConfig.builder().epochs(1).threads(2).build();
    try (TfModel trained = new TfTrainer().train(LeNet.classic(), data, config)) {
      trained.save(model);
    }
    Path images = Files.createDirectories(dir.resolve("images"));
    ImageDataset test = data.test();
    byte[] pixels = new byte[28 * 28];
    for (int i = 0; i < test.size(); i++) {
      test.pixelBuffer().get(i * pixels.length, pixels);
      Files.write(
          images.resolve(String.format(Locale.ROOT, "%05d_%d.png", i, test.label(i))),
          TestImages.encode(TestImages.gray8(pixels, 28, 28), "png"));
    }
    byte[] first =
        Files.readAllBytes(images.resolve(String.format("%05d_%d.png", 0, test.label(0))));
    Files.write(images.resolve("truncated.png"), Arrays.copyOf(first, 40));
    Files.writeString(images.resolve("notes.txt"), "not an image\n", StandardCharsets.UTF_8);
    Files.write(images.resolve("garbage.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("lenet-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.sql.shuffle.partitions", "4")
            // About 250 small files per partition: 40-odd partitions for the 10,003 files.
            .config("spark.sql.files.openCostInBytes", "1024")
            .config("spark.sql.files.maxPartitionBytes", "400000")
            .getOrCreate();
    return new SparkFixture(dir, spark, data, model, images);
  }

  /** A classifier of the fixture's model, by its local path, with the defaults. */
  LenetClassifier classifier() {
    return new LenetClassifier().setModelPath(model.toString());
  }

  /** The image directory as {@code binaryFile} rows: 10,000 PNG files and the bad files. */
  Dataset<Row> files() {
    return spark.read().format("binaryFile").load(images.toString());
  }

  /** The name of test image {@code i}'s file. */
  String pngName(int i) {
    return String.format(Locale.ROOT, "%05d_%d.png", i, data.test().label(i));
  }

  /** The file name at the end of a path or URI. */
  static String fileName(String uri) {
    return uri.substring(uri.lastIndexOf('/') + 1);
  }

  @Override
  public void close() {
    try {
      spark.stop();
    } finally {
      delete(dir);
    }
  }

  private static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}
