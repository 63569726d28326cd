package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.Pixels;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfTrainer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyImagesTest {

  @TempDir Path tmp;

  /** Class 3 of the synthetic data: rows 6 to 11 lit, on black. */
  static final int CLASS = 3;

  /**
   * Dimly lit, so that the probability stays far from 1 and a pixel read differently (through
   * Java2D's colour conversion, say) changes the printed figure.
   */
  static final int GRAY = 60;

  @Test
  void classifiesAPngAndTheFirstImagesOfAnIdxFileWithASavedModel() throws Exception {
    Path data = SyntheticData.write(tmp.resolve("data"), 512, 128);
    ImageDataset test = FashionMnist.loader().directory(data).load().test();
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    float[] imagePixels = new float[784];
    for (int y = 2 * CLASS; y < 2 * CLASS + 6; y++) {
      for (int x = 0; x < 28; x++) {
        image.getRaster().setSample(x, y, 0, GRAY);
        imagePixels[y * 28 + x] = Pixels.toUnit(GRAY);
      }
    }
    Path png = tmp.resolve("dress.png");
    ImageIO.write(image, "png", png.toFile());
    Path idx = data.resolve("t10k-images-idx3-ubyte.gz");

    // What the program must print: the trained model's own answers for the same pixels.
    Path modelDir = tmp.resolve("model");
    List<String> expected = new ArrayList<>();
    try (TrainedModel model = trainTinyModel(data)) {
      model.save(modelDir);
      Prediction p = model.predict(imagePixels);
      assertThat(model.classNames().get(p.predictedClass())).isEqualTo("Dress");
      expected.add(line(png.toString(), model, p));
      for (int i = 0; i < 10; i++) {
        float[] pixels = new float[784];
        for (int k = 0; k < 784; k++) {
          pixels[k] = Pixels.toUnit(test.pixel(i, k));
        }
        expected.add(line(idx + "[" + i + "]", model, model.predict(pixels)));
      }
    }

    String printed = run(modelDir.toString(), png.toString(), idx.toString());

    assertThat(printed.lines()).containsExactlyElementsOf(expected);
    assertThat(expected.get(0)).matches(".*dress\\.png: Dress 0\\.\\d{3}");
  }

  /**
   * The same pixels as an RGB PNG enlarged three times print the same line as the 8-bit gray PNG:
   * the library's reader gives both the identical floats.
   */
  @Test
  void colourAndEnlargedCopiesPrintWhatTheGrayPngPrints() throws Exception {
    Path data = SyntheticData.write(tmp.resolve("data"), 64, 16);
    Path modelDir = tmp.resolve("model");
    try (TrainedModel model = trainTinyModel(data)) {
      model.save(modelDir);
    }
    Path gray = tmp.resolve("gray.png");
    Path colour = tmp.resolve("colour.png");
    BufferedImage grayImage = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    BufferedImage colourImage = new BufferedImage(84, 84, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        int v = (x * 9 + y * 5) % 256;
        grayImage.getRaster().setSample(x, y, 0, v);
        for (int k = 0; k < 9; k++) {
          colourImage.setRGB(3 * x + k % 3, 3 * y + k / 3, v << 16 | v << 8 | v);
        }
      }
    }
    ImageIO.write(grayImage, "png", gray.toFile());
    ImageIO.write(colourImage, "png", colour.toFile());
    List<String> lines =
        run(modelDir.toString(), gray.toString(), colour.toString()).lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1).substring(colour.toString().length()))
        .isEqualTo(lines.get(0).substring(gray.toString().length()));
  }

  /** A linear classifier: enough for the synthetic classes, and fast to train. */
  static TrainedModel trainTinyModel(Path data) {
    ModelSpec net = ModelSpec.builder().input(1, 28, 28).flatten().dense(10).build();
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(3)
            .batchSize(32)
            .learningRate(0.5)
            .device(Device.CPU)
            .threads(1)
            .build();
    return new TfTrainer().train(net, FashionMnist.loader().directory(data).load(), config);
  }

  static String line(String name, TrainedModel model, Prediction p) {
    int best = p.predictedClass();
    return String.format(
        Locale.ROOT,
        "%s: %s %.3f",
        name,
        model.classNames().get(best),
        p.probabilities().get(best));
  }

  /** Runs the program and returns what it printed. */
  static String run(String... args) throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ClassifyImages.main(args);
    } finally {
      System.setOut(original);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
