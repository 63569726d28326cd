package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.spec.Shape;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** Colour, bit depth, alpha and resizing against hand computations. */
class ImageConversionTest {

  static byte[] samples(BufferedImage image, Shape shape) {
    byte[] png = TestImages.encode(image, "png");
    return ImageReader.standard().samples(new ByteArrayInputStream(png), "hand.png", shape);
  }

  static int[] unsigned(byte[] bytes) {
    int[] out = new int[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      out[i] = bytes[i] & 0xFF;
    }
    return out;
  }

  /**
   * Luma as Pillow's convert("L"): (19595 R + 38470 G + 7471 B + 32768) >> 16. By hand: red
   * 255*19595 + 32768 = 5,029,493, / 65536 = 76.7, so 76; green 9,842,618 / 65536 = 150.2; blue
   * 1,937,873 / 65536 = 29.6; (10, 200, 30): 8,146,848 / 65536 = 124.3 (0.299, 0.587, 0.114 give
   * 123.8); (1, 1, 0): 90,833 / 65536 = 1.4, where the truncating (299 R + 587 G + 114 B) / 1000 of
   * old PIL gives 0; white stays 255 and gray (v, v, v) stays v.
   */
  @Test
  void colourBecomesGrayByLumaOnTheStoredValues() {
    int[][] rgb = {
      {255, 0, 0}, {0, 255, 0}, {0, 0, 255}, {10, 200, 30}, {1, 1, 0}, {255, 255, 255}, {77, 77, 77}
    };
    BufferedImage image = new BufferedImage(rgb.length, 1, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < rgb.length; x++) {
      image.setRGB(x, 0, rgb[x][0] << 16 | rgb[x][1] << 8 | rgb[x][2]);
    }
    assertThat(unsigned(samples(image, Shape.image(1, 1, rgb.length))))
        .containsExactly(76, 150, 29, 124, 1, 255, 77);
  }

  /** 16 bits to 8: v / 257 to the nearest integer (no ties: 257 is odd). */
  @Test
  void sixteenBitSamplesRoundToTheNearestEightBitValue() {
    int[] values = {0, 128, 129, 385, 386, 32767, 32896, 65279, 65535};
    BufferedImage image = new BufferedImage(values.length, 1, BufferedImage.TYPE_USHORT_GRAY);
    for (int x = 0; x < values.length; x++) {
      image.getRaster().setSample(x, 0, 0, values[x]);
    }
    // 128/257 = 0.498, 129/257 = 0.502, 385/257 = 1.498, 386/257 = 1.502, 32767/257 = 127.498,
    // 32896 = 128 * 257, 65279/257 = 254.0, 65535 = 255 * 257
    assertThat(unsigned(samples(image, Shape.image(1, 1, values.length))))
        .containsExactly(0, 0, 1, 1, 2, 127, 128, 254, 255);
  }

  /** round(value * alpha / 255): 200 at alpha 128 is 100.4, so 100; transparent white is 0. */
  @Test
  void transparencyCompositesOntoBlack() {
    BufferedImage image = new BufferedImage(4, 1, BufferedImage.TYPE_INT_ARGB);
    image.setRGB(0, 0, 0x80C8C8C8); // gray 200, alpha 128
    image.setRGB(1, 0, 0x00FFFFFF); // transparent white
    image.setRGB(2, 0, 0xFF0A0A0A); // opaque 10
    image.setRGB(3, 0, 0x01FFFFFF); // alpha 1: 255 / 255 = 1
    assertThat(unsigned(samples(image, Shape.image(1, 1, 4)))).containsExactly(100, 0, 10, 1);
    // For colour models each channel composites alike.
    assertThat(unsigned(samples(image, Shape.image(3, 1, 4))))
        .containsExactly(100, 0, 10, 1, 100, 0, 10, 1, 100, 0, 10, 1);
  }

  /**
   * Area averaging with partial pixels: 3 pixels to 2, each target covers one and a half source
   * pixels: (0 * 2 + 90) / 3 = 30 and (90 + 255 * 2) / 3 = 200; 2 to 3 enlarges with shared pixels:
   * 40, (40 + 100) / 2 = 70, 100; a 3x3 block of one value keeps it.
   */
  @Test
  void resizingAveragesTheAreaEachPixelCovers() {
    BufferedImage three = TestImages.gray8(new byte[] {0, 90, (byte) 255}, 3, 1);
    assertThat(unsigned(samples(three, Shape.image(1, 1, 2)))).containsExactly(30, 200);
    BufferedImage two = TestImages.gray8(new byte[] {40, 100}, 2, 1);
    assertThat(unsigned(samples(two, Shape.image(1, 1, 3)))).containsExactly(40, 70, 100);
    // Halves round up: (1 + 2) / 2 = 1.5, so 2.
    BufferedImage pair = TestImages.gray8(new byte[] {1, 2}, 2, 1);
    assertThat(unsigned(samples(pair, Shape.image(1, 1, 1)))).containsExactly(2);
    // Rows and columns together: a 2x2 block mean of 0, 10, 20, 31 is 15.25, so 15.
    BufferedImage square = TestImages.gray8(new byte[] {0, 10, 20, 31}, 2, 2);
    assertThat(unsigned(samples(square, Shape.image(1, 1, 1)))).containsExactly(15);
  }
}
