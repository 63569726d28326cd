package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.Pixels;
import dev.lenet.api.spec.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same 28x28 gray pixels, stored in every way a user's file may store them, reach a model as
 * the identical floats: those of the 8-bit gray bytes scaled by {@link Pixels}.
 */
class ImageEncodingsTest {

  static final Shape GRAY = Shape.image(1, 28, 28);
  static final Shape RGB = Shape.image(3, 28, 28);

  /** Every value 0-255 at least once, and the issue's 10, 50, 100, 200. */
  static byte[] pattern() {
    byte[] gray = new byte[28 * 28];
    for (int i = 0; i < gray.length; i++) {
      gray[i] = (byte) ((i * 7 + i / 28) % 256);
    }
    gray[0] = 10;
    gray[1] = 50;
    gray[2] = 100;
    gray[3] = (byte) 200;
    return gray;
  }

  static float[] read(BufferedImage image, String format, Shape shape) {
    byte[] file = TestImages.encode(image, format);
    return ImageReader.standard().read(new ByteArrayInputStream(file), "test." + format, shape);
  }

  static Map<String, BufferedImage> encodings(byte[] gray) {
    Map<String, BufferedImage> all = new LinkedHashMap<>();
    all.put("8-bit gray", TestImages.gray8(gray, 28, 28));
    all.put("16-bit gray", TestImages.gray16(gray, 28, 28));
    all.put("8-bit RGB", TestImages.rgb8(gray, 28, 28));
    all.put("16-bit RGB", TestImages.rgb16(gray, 28, 28));
    all.put("palette", TestImages.palette(gray, 28, 28));
    all.put("opaque RGBA", TestImages.rgbaOpaque(gray, 28, 28));
    all.put("opaque gray and alpha", TestImages.grayAlphaOpaque(gray, 28, 28));
    all.put("gray x2", TestImages.replicated(TestImages.gray8(gray, 28, 28), 2));
    all.put("gray x3", TestImages.replicated(TestImages.gray8(gray, 28, 28), 3));
    all.put("RGB x5", TestImages.replicated(TestImages.rgb8(gray, 28, 28), 5));
    all.put("16-bit gray x4", TestImages.replicated(TestImages.gray16(gray, 28, 28), 4));
    return all;
  }

  @Test
  void everyPngEncodingGivesTheFloatsOfTheGrayBytes() {
    byte[] gray = pattern();
    float[] expected = Pixels.toUnit(gray);
    for (Map.Entry<String, BufferedImage> e : encodings(gray).entrySet()) {
      assertThat(read(e.getValue(), "png", GRAY)).as(e.getKey()).isEqualTo(expected);
    }
  }

  @Test
  void theIssuesGrayValuesAreNotBrightened() {
    byte[] png = TestImages.encode(TestImages.gray8(pattern(), 28, 28), "png");
    byte[] samples =
        ImageReader.standard().samples(new ByteArrayInputStream(png), "issue.png", GRAY);
    assertThat(new byte[] {samples[0], samples[1], samples[2], samples[3]})
        .containsExactly(10, 50, 100, (byte) 200);
  }

  @Test
  void bmpAndGifGiveTheSameFloats() {
    byte[] gray = pattern();
    float[] expected = Pixels.toUnit(gray);
    assertThat(read(TestImages.rgb8(gray, 28, 28), "bmp", GRAY)).isEqualTo(expected);
    assertThat(read(TestImages.palette(gray, 28, 28), "gif", GRAY)).isEqualTo(expected);
  }

  @Test
  void threeChannelModelsGetRgbAndGrayAsThreeEqualPlanes() {
    byte[] gray = pattern();
    float[] plane = Pixels.toUnit(gray);
    float[] expected = new float[3 * plane.length];
    for (int c = 0; c < 3; c++) {
      System.arraycopy(plane, 0, expected, c * plane.length, plane.length);
    }
    for (Map.Entry<String, BufferedImage> e : encodings(gray).entrySet()) {
      assertThat(read(e.getValue(), "png", RGB)).as(e.getKey()).isEqualTo(expected);
    }
    // Distinct channels stay apart and in order: red, green, blue.
    BufferedImage colour = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    colour.setRGB(0, 0, 0x0A3264); // 10, 50, 100
    float[] read = read(colour, "png", RGB);
    assertThat(new float[] {read[0], read[784], read[2 * 784]})
        .containsExactly(Pixels.toUnit(10), Pixels.toUnit(50), Pixels.toUnit(100));
  }

  @Test
  void samplesAreTheBytesThatReadScales() {
    byte[] gray = pattern();
    byte[] png = TestImages.encode(TestImages.rgb16(gray, 28, 28), "png");
    assertThat(ImageReader.standard().samples(new ByteArrayInputStream(png), "x.png", GRAY))
        .isEqualTo(gray);
  }
}
