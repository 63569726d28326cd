package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Already decoded samples in every {@link SampleOrder} give exactly the floats the same image gives
 * as a PNG file: same luma, same alpha compositing, same resize.
 */
class DecodedSamplesTest {

  private static final Shape GRAY = Shape.image(1, 28, 28);
  private static final Shape COLOUR = Shape.image(3, 28, 28);

  @ParameterizedTest
  @EnumSource(SampleOrder.class)
  void decodedSamplesGiveTheFloatsOfTheSamePngForGrayAndColourModels(SampleOrder order) {
    Random random = new Random(order.ordinal());
    int width = 61;
    int height = 45; // resized to 28x28 with partly covered pixels
    int n = order.samplesPerPixel();
    byte[] samples = new byte[width * height * n];
    random.nextBytes(samples);
    BufferedImage image = imageOf(samples, width, height, order);
    byte[] png = TestImages.encode(image, "png");
    ImageReader reader = ImageReader.standard();
    for (Shape shape : new Shape[] {GRAY, COLOUR}) {
      float[] fromFile = reader.read(new ByteArrayInputStream(png), "file", shape);
      float[] decoded = reader.read(samples, width, height, order, "decoded", shape);
      assertThat(decoded).as("%s into %s", order, shape).containsExactly(fromFile);
    }
  }

  @Test
  void bgrIsTurnedIntoTheLumaOfItsRedGreenAndBlue() {
    // One pixel: blue 10, green 200, red 90.
    float[] gray =
        ImageReader.standard()
            .read(
                new byte[] {10, (byte) 200, 90}, 1, 1, SampleOrder.BGR, "p", Shape.image(1, 1, 1));
    int luma = (90 * 19595 + 200 * 38470 + 10 * 7471 + 0x8000) >> 16;
    assertThat(gray).containsExactly(luma / 255f);
  }

  @Test
  void samplesThatDoNotMatchTheSizeAreAnImageErrorNamingTheImage() {
    ImageReader reader = ImageReader.standard();
    assertThatThrownBy(() -> reader.read(new byte[5], 2, 1, SampleOrder.BGR, "cat.png", GRAY))
        .isInstanceOf(ImageException.class)
        .hasMessage("cat.png: a 2x1 BGR image has 6 samples, found 5");
    assertThatThrownBy(() -> reader.read(new byte[0], -1, -1, SampleOrder.GRAY, "bad", GRAY))
        .isInstanceOf(ImageException.class)
        .hasMessage("bad: an image needs a positive size, found -1x-1");
    ImageReader small = ImageReader.builder().maxPixels(3).build();
    assertThatThrownBy(() -> small.read(new byte[4], 2, 2, SampleOrder.GRAY, "big", GRAY))
        .isInstanceOf(ImageTooLargeException.class);
  }

  /** The same samples as a decoder's image: gray, RGB or ARGB, with the bands in place. */
  private static BufferedImage imageOf(byte[] samples, int width, int height, SampleOrder order) {
    int n = order.samplesPerPixel();
    int type =
        n == 1
            ? BufferedImage.TYPE_BYTE_GRAY
            : n == 3 ? BufferedImage.TYPE_3BYTE_BGR : BufferedImage.TYPE_4BYTE_ABGR;
    BufferedImage image = new BufferedImage(width, height, type);
    int[] offsets = order.bandOffsets(); // where R, G, B, A (or gray) are in a pixel
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int at = (y * width + x) * n;
        for (int band = 0; band < n; band++) {
          image.getRaster().setSample(x, y, band, samples[at + offsets[band]] & 0xFF);
        }
      }
    }
    return image;
  }
}
