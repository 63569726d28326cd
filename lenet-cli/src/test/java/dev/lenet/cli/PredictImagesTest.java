package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.Pixels;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.image.TestImages;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfTrainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lenet predict} reads any encoding of an image as the same input, and refuses bombs. */
class PredictImagesTest {

  @TempDir static Path tmp;
  static Path model;

  /** Class 3 of the synthetic data lights rows 6 to 11; dim, so probabilities stay below 1. */
  static final byte[] DRESS = new byte[784];

  /** The model's own top-3 line for {@link #DRESS}, from the floats training would feed. */
  static String expected;

  @BeforeAll
  static void trainATinyModel() throws IOException {
    int[] values = {10, 50, 100, 200};
    for (int y = 6; y < 12; y++) {
      for (int x = 0; x < 28; x++) {
        DRESS[y * 28 + x] = (byte) values[(x + y) % 4];
      }
    }
    Path data = SyntheticData.write(tmp.resolve("data"), 256, 16);
    ModelSpec linear = ModelSpec.builder().input(1, 28, 28).flatten().dense(10).build();
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(2)
            .batchSize(32)
            .learningRate(0.05)
            .device(Device.CPU)
            .threads(1)
            .build();
    model = tmp.resolve("model");
    try (TrainedModel trained =
        new TfTrainer().train(linear, FashionMnist.loader().directory(data).load(), config)) {
      trained.save(model);
      Prediction p = trained.predict(Pixels.toUnit(DRESS));
      List<String> parts = new ArrayList<>();
      for (int c : p.topClasses(3)) {
        parts.add(
            String.format(
                Locale.ROOT, "%s %.3f", trained.classNames().get(c), p.probabilities().get(c)));
      }
      expected = String.join(", ", parts);
    }
  }

  static Path write(String name, BufferedImage image) throws IOException {
    return Files.write(tmp.resolve(name), TestImages.encode(image, "png"));
  }

  /**
   * Gray, RGB, 16-bit, palette, transparent-capable and enlarged copies of one image all print the
   * line the model gives for the image's bytes as training scales them: not brightened through
   * Java2D's gray conversion, which made 10, 50, 100 and 200 about 56, 122, 168 and 229.
   */
  @Test
  void everyEncodingOfAnImageGetsTheSameAnswerAsItsBytes() throws IOException {
    List<Path> files =
        List.of(
            write("gray.png", TestImages.gray8(DRESS, 28, 28)),
            write("rgb.png", TestImages.rgb8(DRESS, 28, 28)),
            write("gray16.png", TestImages.gray16(DRESS, 28, 28)),
            write("palette.png", TestImages.palette(DRESS, 28, 28)),
            write("rgba.png", TestImages.rgbaOpaque(DRESS, 28, 28)),
            write("gray-x4.png", TestImages.replicated(TestImages.gray8(DRESS, 28, 28), 4)),
            write("rgb-x3.png", TestImages.replicated(TestImages.rgb8(DRESS, 28, 28), 3)));
    List<Object> args = new ArrayList<>(List.of("predict", "--model", model));
    args.addAll(files);
    CliTest.Result r = lenet(args.toArray());
    assertThat(r.status()).as(r.err()).isZero();
    List<String> lines = r.out().lines().toList();
    assertThat(lines).hasSize(files.size());
    for (int i = 0; i < files.size(); i++) {
      assertThat(lines.get(i)).isEqualTo(files.get(i) + ": " + expected);
    }
  }

  @Test
  void anImageBombIsRefusedFromItsHeaderNamingFileSizeAndLimit() throws IOException {
    Path bomb =
        Files.write(
            tmp.resolve("bomb.png"),
            TestImages.png(40_000, 40_000, TestImages.zlib(new byte[] {0, 0, 0, 0})));
    CliTest.Result r = lenet("predict", "--model", model, bomb);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "lenet: "
                + bomb
                + ": the image declares 40000x40000 pixels (1,600,000,000), more than --max-pixels"
                + " 25,000,000; scale it down first, or raise --max-pixels if the file is trusted"
                + System.lineSeparator());
  }

  @Test
  void maxPixelsSetsTheLimit() throws IOException {
    Path gray = write("limit.png", TestImages.gray8(DRESS, 28, 28));
    CliTest.Result refused = lenet("predict", "--model", model, "--max-pixels", 783, gray);
    assertThat(refused.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(refused.err()).contains("declares 28x28 pixels (784), more than --max-pixels 783");
    CliTest.Result accepted = lenet("predict", "--model", model, "--max-pixels", 784, gray);
    assertThat(accepted.status()).as(accepted.err()).isZero();
    CliTest.Result zero = lenet("predict", "--model", model, "--max-pixels", 0, gray);
    assertThat(zero.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(zero.err()).contains("--max-pixels must be between 1 and 2147483647, found 0");
  }

  /**
   * A decoder's error keeps its reason in the one-line message and its cause for {@code --verbose}:
   * before, the message stopped at the decoder's outer words ("Error reading PNG image data", or
   * "Caught exception during read:" for an out-of-memory error) and the cause was lost.
   */
  @Test
  void aDamagedImageNamesTheDecodersReasonAndVerboseShowsTheCause() throws IOException {
    byte[] garbage = {0x78, (byte) 0x9C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x12};
    Path damaged = Files.write(tmp.resolve("damaged.png"), TestImages.png(28, 28, garbage));
    CliTest.Result r = lenet("predict", "--model", model, damaged);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "lenet: "
                + damaged
                + ": cannot decode the PNG image: Error reading PNG image data: invalid block type"
                + System.lineSeparator());
    CliTest.Result verbose = lenet("predict", "--verbose", "--model", model, damaged);
    assertThat(verbose.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(verbose.err())
        .contains("Caused by: javax.imageio.IIOException: Error reading PNG image data")
        .contains("Caused by: java.util.zip.ZipException: invalid block type");
  }
}
