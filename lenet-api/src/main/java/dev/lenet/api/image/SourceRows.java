package dev.lenet.api.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * A decoded image's rows as 8-bit samples of a model's channels (1: gray, 3: red, green, blue),
 * taken from the raster's stored sample values: no colour management, no Java2D drawing.
 *
 * <ul>
 *   <li>Samples of {@code n} bits become {@code round(v * 255 / (2^n - 1))}, halves rounded up; for
 *       16 bits that is {@code v / 257} to the nearest integer (no ties occur), so a 16-bit value
 *       {@code 257 * b} gives back the 8-bit {@code b}.
 *   <li>A palette image takes each pixel's colour and alpha from its colour map.
 *   <li>Colour to gray is ITU-R 601 luma on the stored (sRGB) values, computed as Pillow's {@code
 *       convert("L")} does: {@code (19595 R + 38470 G + 7471 B + 32768) >> 16} (weights 0.299,
 *       0.587, 0.114 in 16-bit fixed point, rounded to nearest), so equal R, G and B give that
 *       value back. Gray to colour repeats the value in the three channels.
 *   <li>Alpha composites onto black: {@code round(value * alpha / 255)}, after the conversion to
 *       gray; an opaque pixel keeps its value. Premultiplied images are already composited.
 * </ul>
 */
final class SourceRows {

  private final Raster raster;
  private final int channels;
  private final int[] lut; // palette: ARGB per index; else null
  private final int colourBands; // 1 (gray) or 3 (RGB) for component images
  private final int alphaBand; // -1 when none or already composited
  private final long[] maxima; // per band, 2^bits - 1
  private final int[][] bands; // one row of raw samples per band

  private SourceRows(
      Raster raster, int channels, int[] lut, int colourBands, int alphaBand, long[] maxima) {
    this.raster = raster;
    this.channels = channels;
    this.lut = lut;
    this.colourBands = colourBands;
    this.alphaBand = alphaBand;
    this.maxima = maxima;
    this.bands = new int[raster.getNumBands()][raster.getWidth()];
  }

  /**
   * @throws ImageException naming {@code name} for a colour space or sample type not taken here
   */
  static SourceRows of(BufferedImage image, int channels, String name) {
    Raster raster = image.getRaster();
    ColorModel cm = image.getColorModel();
    int type = raster.getTransferType();
    if (type == DataBuffer.TYPE_FLOAT || type == DataBuffer.TYPE_DOUBLE) {
      throw new ImageException(
          name
              + ": floating-point samples are not supported; convert the image to 8- or 16-bit"
              + " integer samples (a PNG, say) first");
    }
    if (cm instanceof IndexColorModel icm) {
      // Indices past the map (a damaged file) read as transparent black, not out of bounds.
      int bits = Math.min(16, raster.getSampleModel().getSampleSize(0));
      int[] lut = new int[Math.max(icm.getMapSize(), 1 << bits)];
      icm.getRGBs(lut);
      return new SourceRows(raster, channels, lut, 0, -1, new long[] {0});
    }
    int space = cm.getColorSpace().getType();
    int colours = cm.getNumColorComponents();
    if (!(space == ColorSpace.TYPE_GRAY && colours == 1)
        && !(space == ColorSpace.TYPE_RGB && colours == 3)) {
      throw new ImageException(
          name
              + ": the image's colour space ("
              + colours
              + " components, "
              + spaceName(space)
              + ") is not supported; convert it to RGB or grayscale");
    }
    long[] maxima = new long[cm.getNumComponents()];
    for (int c = 0; c < maxima.length; c++) {
      int bits = cm.getComponentSize(c);
      if (bits < 1 || bits > 16) {
        throw new ImageException(name + ": " + bits + "-bit samples are not supported");
      }
      maxima[c] = (1L << bits) - 1;
    }
    int alpha = cm.hasAlpha() && !cm.isAlphaPremultiplied() ? colours : -1;
    return new SourceRows(raster, channels, null, colours, alpha, maxima);
  }

  private static String spaceName(int type) {
    return switch (type) {
      case ColorSpace.TYPE_CMYK -> "CMYK";
      case ColorSpace.TYPE_YCbCr -> "YCbCr";
      case ColorSpace.TYPE_GRAY -> "gray";
      case ColorSpace.TYPE_RGB -> "RGB";
      default -> "colour space type " + type;
    };
  }

  int width() {
    return raster.getWidth();
  }

  int height() {
    return raster.getHeight();
  }

  /** Fills {@code out[c][x]} with row {@code y}'s 8-bit value of model channel {@code c}. */
  void row(int y, int[][] out) {
    int w = raster.getWidth();
    int y0 = raster.getMinY() + y;
    int x0 = raster.getMinX();
    if (lut != null) {
      raster.getSamples(x0, y0, w, 1, 0, bands[0]);
      for (int x = 0; x < w; x++) {
        int argb = lut[bands[0][x]];
        put(out, x, (argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, argb >>> 24);
      }
      return;
    }
    int used = alphaBand >= 0 ? colourBands + 1 : colourBands;
    for (int b = 0; b < used; b++) {
      raster.getSamples(x0, y0, w, 1, b, bands[b]);
    }
    for (int x = 0; x < w; x++) {
      int a = alphaBand >= 0 ? to8(bands[alphaBand][x], maxima[alphaBand]) : 255;
      if (colourBands == 1) {
        int g = to8(bands[0][x], maxima[0]);
        put(out, x, g, g, g, a);
      } else {
        put(
            out,
            x,
            to8(bands[0][x], maxima[0]),
            to8(bands[1][x], maxima[1]),
            to8(bands[2][x], maxima[2]),
            a);
      }
    }
  }

  private void put(int[][] out, int x, int r, int g, int b, int a) {
    if (channels == 1) {
      out[0][x] = over(luma(r, g, b), a);
    } else {
      out[0][x] = over(r, a);
      out[1][x] = over(g, a);
      out[2][x] = over(b, a);
    }
  }

  /** An {@code n}-bit sample (maximum {@code 2^n - 1}) as 8 bits, to nearest, halves up. */
  static int to8(int sample, long max) {
    if (max == 255) {
      return sample;
    }
    return (int) ((2L * sample * 255 + max) / (2 * max));
  }

  /** ITU-R 601 luma of 8-bit sRGB values, as Pillow's {@code convert("L")}. */
  static int luma(int r, int g, int b) {
    return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
  }

  /** {@code value} composited onto black with 8-bit {@code alpha}, to nearest, halves up. */
  static int over(int value, int alpha) {
    return alpha == 255 ? value : (2 * value * alpha + 255) / 510;
  }
}
