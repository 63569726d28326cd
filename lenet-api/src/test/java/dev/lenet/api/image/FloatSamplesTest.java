package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.Shape;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/** A floating-point TIFF is refused saying how to make it readable, not only that it is not. */
class FloatSamplesTest {

  @Test
  void aFloatTiffIsRefusedWithWhatToDo() {
    ComponentColorModel cm =
        new ComponentColorModel(
            ColorSpace.getInstance(ColorSpace.CS_GRAY),
            false,
            false,
            Transparency.OPAQUE,
            DataBuffer.TYPE_FLOAT);
    BufferedImage image =
        new BufferedImage(cm, cm.createCompatibleWritableRaster(28, 28), false, null);
    byte[] tiff = TestImages.encode(image, "tiff");
    assertThatThrownBy(
            () ->
                ImageReader.standard()
                    .read(new ByteArrayInputStream(tiff), "float.tif", Shape.image(1, 28, 28)))
        .isInstanceOf(ImageException.class)
        .hasMessage(
            "float.tif: floating-point samples are not supported; convert the image to 8- or"
                + " 16-bit integer samples (a PNG, say) first");
  }
}
