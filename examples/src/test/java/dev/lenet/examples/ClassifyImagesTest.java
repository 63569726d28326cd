package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
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
        imagePixels[y * 28 + x] = GRAY / 255f;
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
          pixels[k] = test.pixel(i, k) / 255f;
        }
        expected.add(line(idx + "[" + i + "]", model, model.predict(pixels)));
      }
    }

    String printed = run(modelDir.toString(), png.toString(), idx.toString());

    assertThat(printed.lines()).containsExactlyElementsOf(expected);
    assertThat(expected.get(0)).matches(".*dress\\.png: Dress 0\\.\\d{3}");
  }

  @Test
  void refusesAColourPngNamingIt() throws Exception {
    Path data = SyntheticData.write(tmp.resolve("data"), 64, 16);
    Path modelDir = tmp.resolve("model");
    try (TrainedModel model = trainTinyModel(data)) {
      model.save(modelDir);
    }
    Path colour = tmp.resolve("colour.png");
    ImageIO.write(new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB), "png", colour.toFile());
    assertThatThrownBy(() -> run(modelDir.toString(), colour.toString()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(colour + ": not an 8-bit grayscale PNG of size 1x28x28");
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
