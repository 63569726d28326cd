package dev.lenet.api.data;

import static dev.lenet.api.data.IdxFixtures.idx;
import static dev.lenet.api.data.IdxFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistFilesTest {

  @TempDir Path dir;

  @Test
  void readsAFourFileDataSet() {
    IdxFixtures.dataset(dir, 30, 12, 6);
    TrainingData data = MnistFiles.read(dir, MnistVariant.FASHION_MNIST);
    assertThat(data.train().size()).isEqualTo(30);
    assertThat(data.test().size()).isEqualTo(12);
    assertThat(data.train().imageShape()).isEqualTo(Shape.image(1, 6, 6));
    assertThat(data.train().classNames()).hasSize(10).startsWith("T-shirt/top");
    assertThat(data.train().label(13)).isEqualTo(3);
    assertThat(data.train().pixel(1, 2)).isEqualTo(((36 + 2) * 7) % 256);
    assertThat(data.train().name()).isEqualTo("fashion-mnist train");
  }

  @Test
  void imagesAndLabelsOfDifferentCounts() {
    IdxFixtures.dataset(dir, 30, 12, 6);
    Path labels = write(dir.resolve(MnistFiles.TEST_LABELS), IdxFixtures.labels(11, 10));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("12 images")
        .hasMessageContaining(labels + " holds 11 labels");
  }

  @Test
  void labelOutsideTheClasses() {
    IdxFixtures.dataset(dir, 30, 12, 6);
    byte[] data = new byte[12];
    data[7] = 10;
    Path labels = write(dir.resolve(MnistFiles.TEST_LABELS), idx(0x08, new int[] {12}, data));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessage(labels + ": label 10 of example 7 is outside the 10 classes (0 to 9)");
  }

  @Test
  void imageSizesDifferBetweenTrainAndTest() {
    IdxFixtures.dataset(dir, 30, 12, 6);
    write(dir.resolve(MnistFiles.TEST_IMAGES), IdxFixtures.images(12, 7, 7));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("image sizes differ between train and test")
        .hasMessageContaining("1x6x6")
        .hasMessageContaining("1x7x7");
  }

  @Test
  void imagesOfTheWrongType() {
    IdxFixtures.dataset(dir, 30, 12, 6);
    Path images =
        write(dir.resolve(MnistFiles.TEST_IMAGES), idx(0x0D, new int[] {12, 1, 1}, new byte[48]));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessage(images + ": images must be unsigned bytes, found FLOAT");
  }

  @Test
  void missingFileAndADirectoryInItsPlace() throws Exception {
    IdxFixtures.dataset(dir, 30, 12, 6);
    Files.delete(dir.resolve(MnistFiles.TEST_LABELS));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessage(dir + ": missing t10k-labels-idx1-ubyte (or t10k-labels-idx1-ubyte.gz)");
    Path asDir = Files.createDirectory(dir.resolve(MnistFiles.TEST_LABELS));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessage(asDir + ": is a directory, expected an IDX file");
  }

  @Test
  void corruptTrainingImagesAreReportedNotHalfLoaded() {
    IdxFixtures.dataset(dir, 30, 12, 6);
    byte[] cut = java.util.Arrays.copyOf(IdxFixtures.images(30, 6, 6), 100);
    Path images = write(dir.resolve(MnistFiles.TRAIN_IMAGES + ".gz"), IdxFixtures.gzip(cut));
    assertThatThrownBy(() -> MnistFiles.read(dir, MnistVariant.MNIST))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(images + ": truncated");
  }
}
