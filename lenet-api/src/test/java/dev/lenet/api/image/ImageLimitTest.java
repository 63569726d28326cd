package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.Shape;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Image bombs: a header's declared size is checked against the limit before any decoding. */
class ImageLimitTest {

  @TempDir Path tmp;

  static final Shape GRAY = Shape.image(1, 28, 28);

  /**
   * 73 bytes declaring 40000 x 40000 8-bit gray pixels (1.6 GB decoded): refused from the header,
   * allocating almost nothing. A decoder that went ahead would allocate the 1.6 GB raster first.
   */
  @Test
  void aPngDeclaringFortyThousandSquaredPixelsIsRefusedBeforeDecoding() throws Exception {
    byte[] bomb = TestImages.png(40_000, 40_000, TestImages.zlib(new byte[] {0, 0, 0, 0}));
    Path file = Files.write(tmp.resolve("bomb.png"), bomb);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    assertThatThrownBy(() -> ImageReader.standard().read(file, GRAY))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessage(
            file
                + ": the image declares 40000x40000 pixels (1,600,000,000), more than the limit"
                + " of 25,000,000 pixels; scale it down first, or raise the reader's maxPixels"
                + " if the image is trusted")
        .satisfies(
            e -> {
              ImageTooLargeException t = (ImageTooLargeException) e;
              assertThat(t.width()).isEqualTo(40_000);
              assertThat(t.height()).isEqualTo(40_000);
              assertThat(t.limit()).isEqualTo(ImageReader.DEFAULT_MAX_PIXELS);
              assertThat(t.name()).isEqualTo(file.toString());
            });
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(allocated).as("bytes allocated").isLessThan(16L << 20);
  }

  @Test
  void theLimitIsAnOptionOfTheReader() {
    byte[] png = TestImages.encode(TestImages.gray8(new byte[100 * 100], 100, 100), "png");
    ImageReader tight = ImageReader.builder().maxPixels(9_999).build();
    assertThat(tight.maxPixels()).isEqualTo(9_999);
    assertThatThrownBy(() -> tight.read(new ByteArrayInputStream(png), "hundred.png", GRAY))
        .isInstanceOf(ImageTooLargeException.class)
        .hasMessageStartingWith(
            "hundred.png: the image declares 100x100 pixels (10,000), more than the limit of"
                + " 9,999 pixels");
    ImageReader exact = ImageReader.builder().maxPixels(10_000).build();
    assertThat(exact.read(new ByteArrayInputStream(png), "hundred.png", GRAY)).hasSize(784);
    assertThat(ImageReader.standard().maxPixels()).isEqualTo(25_000_000L);
  }

  @Test
  void theLimitMustBePositive() {
    assertThatThrownBy(() -> ImageReader.builder().maxPixels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxPixels must be between 1 and 2147483647, found 0");
  }
}
