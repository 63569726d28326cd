package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bad file is an {@link ImageException} naming it; a decoder's error stays the cause. */
class ImageErrorsTest {

  @TempDir Path tmp;

  static final Shape GRAY = Shape.image(1, 28, 28);

  @Test
  void missingFilesAndDirectoriesAreNamed() {
    Path missing = tmp.resolve("missing.png");
    assertThatThrownBy(() -> ImageReader.standard().read(missing, GRAY))
        .isInstanceOf(ImageException.class)
        .hasMessage(missing + ": no such file");
    assertThatThrownBy(() -> ImageReader.standard().read(tmp, GRAY))
        .isInstanceOf(ImageException.class)
        .hasMessage(tmp + ": is not a file");
  }

  @Test
  void aFileThatIsNoImageIsNamed() throws Exception {
    Path notes = Files.writeString(tmp.resolve("notes.png"), "hello");
    assertThatThrownBy(() -> ImageReader.standard().read(notes, GRAY))
        .isInstanceOf(ImageException.class)
        .hasMessage(
            notes
                + ": not an image in a format this reader knows (PNG, JPEG, GIF, BMP, WBMP, TIFF)");
  }

  /** Image data that does not inflate: the decoder's reason is in the message and the cause. */
  @Test
  void aDamagedPngKeepsTheDecodersReasonAndCause() throws Exception {
    byte[] garbage = {0x78, (byte) 0x9C, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x12};
    Path damaged = Files.write(tmp.resolve("damaged.png"), TestImages.png(28, 28, garbage));
    assertThatThrownBy(() -> ImageReader.standard().read(damaged, GRAY))
        .isInstanceOf(ImageException.class)
        .hasMessageStartingWith(damaged + ": cannot decode the PNG image: ")
        .hasRootCauseInstanceOf(ZipException.class)
        .satisfies(e -> assertThat(e.getMessage()).endsWith(rootOf(e).getMessage()));
  }

  @Test
  void shapesOtherThanOneOrThreeChannelImagesAreRefused() {
    assertThatThrownBy(() -> ImageReader.standard().read(tmp, Shape.image(2, 28, 28)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("images are read for 1- or 3-channel (C, H, W) inputs, found 2x28x28");
  }

  @Test
  void reasonsFollowTheCauseChain() {
    Exception wrapped =
        new javax.imageio.IIOException(
            "Caught exception during read: ", new OutOfMemoryError("Java heap space"));
    assertThat(ImageReader.reasons(wrapped))
        .isEqualTo("Caught exception during read: not enough memory (Java heap space)");
    assertThat(ImageReader.reasons(new IllegalStateException())).isEqualTo("IllegalStateException");
  }

  static Throwable rootOf(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }
}
