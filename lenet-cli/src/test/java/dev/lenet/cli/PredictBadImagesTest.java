package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.image.ImageException;
import dev.lenet.api.image.TestImages;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfTrainer;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code predict} with some bad images prints the good ones' lines and one error line per bad one,
 * then exits 2: before, the first bad image stopped the command and no line was printed. Errors
 * that a user can act on say what to do.
 */
class PredictBadImagesTest {

  @TempDir static Path tmp;
  static Path model;
  static Path good1;
  static Path good2;
  static Path bomb;
  static Path notes;

  @BeforeAll
  static void trainATinyModelAndWriteImages() throws IOException {
    Path data = SyntheticData.write(tmp.resolve("data"), 64, 16);
    ModelSpec linear = ModelSpec.builder().input(1, 28, 28).flatten().dense(10).build();
    TrainingConfig config =
        TrainingConfig.builder().epochs(1).batchSize(32).device(Device.CPU).threads(1).build();
    model = tmp.resolve("model");
    try (TrainedModel trained =
        new TfTrainer().train(linear, FashionMnist.loader().directory(data).load(), config)) {
      trained.save(model);
    }
    good1 = png("good1.png", 28);
    good2 = png("good2.png", 56);
    bomb = png("bomb.png", 100);
    notes = Files.writeString(tmp.resolve("notes.png"), "not an image");
  }

  static Path png(String name, int size) throws IOException {
    byte[] gray = new byte[size * size];
    java.util.Arrays.fill(gray, (byte) 80);
    return Files.write(
        tmp.resolve(name), TestImages.encode(TestImages.gray8(gray, size, size), "png"));
  }

  static String nl() {
    return System.lineSeparator();
  }

  @Test
  void goodImagesArePrintedInOrderAndEachBadOneGetsAnErrorLine() {
    CliTest.Result r =
        lenet("predict", "--model", model, "--max-pixels", 5000, good1, bomb, good2, notes);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    String[] lines = r.out().split(nl());
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith(good1 + ": ");
    assertThat(lines[1]).startsWith(good2 + ": ");
    assertThat(r.err())
        .isEqualTo(
            "lenet: "
                + bomb
                + ": the image declares 100x100 pixels (10,000), more than --max-pixels 5,000;"
                + " scale it down first, or raise --max-pixels if the file is trusted"
                + nl()
                + "lenet: "
                + notes
                + ": not an image in a format this reader knows (PNG, JPEG, GIF, BMP, WBMP, TIFF)"
                + nl());
  }

  @Test
  void theLinesAreThoseOfTheGoodImagesAlone() {
    CliTest.Result alone = lenet("predict", "--model", model, good1, good2);
    assertThat(alone.status()).as(alone.err()).isZero();
    CliTest.Result mixed = lenet("predict", "--model", model, notes, good1, notes, good2);
    assertThat(mixed.out()).isEqualTo(alone.out());
  }

  @Test
  void whenEveryImageIsBadNothingIsPrinted() {
    CliTest.Result r = lenet("predict", "--model", model, "--max-pixels", 5000, bomb, notes);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().split(nl())).hasSize(2);
  }

  @Test
  void verboseAddsEachBadImagesStackTrace() {
    CliTest.Result r = lenet("predict", "--verbose", "--model", model, good1, notes);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.out()).startsWith(good1 + ": ");
    assertThat(r.err()).contains("dev.lenet.api.image.ImageException: " + notes);
  }

  @Test
  void aModelThatCannotBeLoadedStopsAtOnce() {
    CliTest.Result r = lenet("predict", "--model", tmp.resolve("nomodel"), good1);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().split(nl())).hasSize(1);
  }

  @Test
  void aFloatTiffSaysToConvertIt() throws IOException {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_FLOAT);
    BufferedImage image =
        new BufferedImage(cm, cm.createCompatibleWritableRaster(28, 28), false, null);
    Path tiff = Files.write(tmp.resolve("float.tif"), TestImages.encode(image, "tiff"));
    CliTest.Result r = lenet("predict", "--model", model, tiff);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "lenet: "
                + tiff
                + ": floating-point samples are not supported; convert the image to 8- or 16-bit"
                + " integer samples (a PNG, say) first"
                + nl());
  }

  /** Running out of heap cannot be staged reliably; the advice for it is checked here. */
  @Test
  void outOfMemorySaysToLowerMaxPixelsOrRaiseTheHeap() {
    ImageException e =
        new ImageException(
            "big.png: cannot decode the PNG image: Caught exception during read: not enough memory"
                + " (Java heap space)",
            new javax.imageio.IIOException(
                "Caught exception during read: ", new OutOfMemoryError()));
    assertThat(PredictCommand.outOfMemory(e)).isTrue();
    assertThat(PredictCommand.outOfMemory(new ImageException("x.png: damaged", null))).isFalse();
    assertThat(PredictCommand.outOfMemoryAdvice(25_000_000))
        .isEqualTo(
            "lower --max-pixels (now 25,000,000) to refuse images this large, or give Java more"
                + " heap, e.g. LENET_JAVA_OPTS=-Xmx4g");
  }
}
