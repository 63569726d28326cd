package dev.lenet.api.image;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;

/**
 * Interleaved 8-bit samples wrapped, without a copy, in the {@code BufferedImage} a decoder would
 * have produced for them, so that {@link SourceRows} converts them by the same rules as a file.
 */
final class Decoded {

  private Decoded() {}

  static BufferedImage image(byte[] samples, int width, int height, SampleOrder order) {
    int n = order.samplesPerPixel();
    boolean gray = n == 1;
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(gray ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB),
            order.hasAlpha(),
            false,
            order.hasAlpha() ? Transparency.TRANSLUCENT : Transparency.OPAQUE,
            DataBuffer.TYPE_BYTE);
    WritableRaster raster =
        Raster.createInterleavedRaster(
            new DataBufferByte(samples, samples.length),
            width,
            height,
            width * n,
            n,
            order.bandOffsets(),
            null);
    return new BufferedImage(cm, raster, false, null);
  }
}
