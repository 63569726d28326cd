package dev.lenet.cli;

import dev.lenet.api.spec.Shape;
import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Reads a PNG or JPEG (grayscale or colour, any size) into a model's input: converted to the
 * model's channels, resized to its height and width with area averaging, pixels scaled to [0, 1],
 * channel-major, as the data sets' images are.
 */
final class ImageFiles {

  static {
    System.setProperty("java.awt.headless", "true");
  }

  private ImageFiles() {}

  /**
   * @throws UserError naming the file when it is missing or not a readable image
   */
  static float[] read(Path file, Shape shape) {
    if (!Files.isRegularFile(file)) {
      throw new UserError(file + ": " + (Files.exists(file) ? "is not a file" : "no such file"));
    }
    BufferedImage source;
    try {
      source = ImageIO.read(file.toFile());
    } catch (IOException e) {
      throw new UserError(file + ": cannot read the image: " + e.getMessage());
    }
    if (source == null) {
      throw new UserError(file + ": not a PNG or JPEG image");
    }
    int w = shape.width();
    int h = shape.height();
    boolean gray = shape.channels() == 1;
    BufferedImage target =
        new BufferedImage(w, h, gray ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    Image scaled = source.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
    Graphics2D g = target.createGraphics();
    try {
      g.drawImage(scaled, 0, 0, null);
    } finally {
      g.dispose();
    }
    float[] out = new float[(int) shape.size()];
    if (gray) {
      byte[] pixels =
          ((java.awt.image.DataBufferByte) target.getRaster().getDataBuffer()).getData();
      for (int i = 0; i < pixels.length; i++) {
        out[i] = (pixels[i] & 0xFF) / 255f;
      }
    } else {
      int plane = w * h;
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          int rgb = target.getRGB(x, y);
          int at = y * w + x;
          out[at] = ((rgb >> 16) & 0xFF) / 255f;
          out[plane + at] = ((rgb >> 8) & 0xFF) / 255f;
          out[2 * plane + at] = (rgb & 0xFF) / 255f;
        }
      }
    }
    return out;
  }
}
