package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.image.TestImages;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the example's tests classify: a small model trained on synthetic data, its test images as
 * PNG files in two subdirectories, two bad files, and each good file's class as the model itself
 * gives it for the pixels {@link ImageReader} reads.
 */
final class ExampleImages {

  static final int IMAGES = 128;
  static final int BAD = 2;

  final Path model;
  final Path images;

  /** File name to class name, for the good files. */
  final Map<String, String> expected;

  private ExampleImages(Path model, Path images, Map<String, String> expected) {
    this.model = model;
    this.images = images;
    this.expected = expected;
  }

  static ExampleImages create(Path dir) throws IOException {
    TrainingData data =
        FashionMnist.loader()
            .directory(SyntheticData.write(dir.resolve("data"), 512, IMAGES))
            .load();
    ModelSpec net = ModelSpec.builder().input(1, 28, 28).flatten().dense(10).build();
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(2)
            .batchSize(32)
            .learningRate(0.5)
            .device(Device.CPU)
            .threads(1)
            .build();
    Path model = dir.resolve("model");
    Path images = dir.resolve("images");
    Map<String, String> expected = new HashMap<>();
    try (TrainedModel trained = new TfTrainer().train(net, data, config)) {
      trained.save(model);
      ImageDataset test = data.test();
      byte[] pixels = new byte[784];
      List<Path> files = new ArrayList<>();
      for (int i = 0; i < test.size(); i++) {
        test.pixelBuffer().get(i * pixels.length, pixels);
        Path file =
            images
                .resolve(i % 2 == 0 ? "even" : "odd")
                .resolve(String.format(Locale.ROOT, "%03d.png", i));
        Files.createDirectories(file.getParent());
        Files.write(file, TestImages.encode(TestImages.gray8(pixels, 28, 28), "png"));
        files.add(file);
      }
      ImageReader reader = ImageReader.standard();
      for (Path file : files) {
        float[] x = reader.read(file, net.input());
        int best = trained.predict(x, 1).get(0).predictedClass();
        expected.put(file.getFileName().toString(), trained.classNames().get(best));
      }
    }
    Files.writeString(images.resolve("README.txt"), "not an image\n", StandardCharsets.UTF_8);
    Files.write(images.resolve("odd").resolve("cut.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    return new ExampleImages(model, images, expected);
  }

  /**
   * Checks the example's CSV: one row per file, sorted by path, the good files with the model's
   * class, the bad ones with an error and no class.
   */
  void assertCsv(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
    assertThat(lines.get(0)).isEqualTo("path,class,probability,error");
    List<String> rows = lines.subList(1, lines.size());
    assertThat(rows).hasSize(IMAGES + BAD).isSorted();
    int bad = 0;
    for (String row : rows) {
      String path = row.substring(0, row.indexOf(','));
      String name = path.substring(path.lastIndexOf('/') + 1);
      String[] fields = row.split(",", 4);
      if (expected.containsKey(name)) {
        assertThat(fields[1]).as(row).isEqualTo(expected.get(name));
        assertThat(Float.parseFloat(fields[2])).as(row).isBetween(0f, 1f);
        assertThat(fields[3]).as(row).isEmpty();
      } else {
        bad++;
        assertThat(fields[1] + fields[2]).as(row).isEmpty();
        assertThat(fields[3]).as(row).contains(name);
      }
    }
    assertThat(bad).isEqualTo(BAD);
  }
}
