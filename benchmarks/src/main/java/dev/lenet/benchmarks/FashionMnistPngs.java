package dev.lenet.benchmarks;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Writes Fashion-MNIST's 10,000 test images as 8-bit gray PNG files named {@code INDEX_LABEL.png}:
 * the archive {@code bench/spark-classify} classifies.
 *
 * <p>Usage: {@code FashionMnistPngs OUT_DIR [DATA_DIR]}; DATA_DIR defaults to the normal search
 * order.
 */
public final class FashionMnistPngs {

  private FashionMnistPngs() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: FashionMnistPngs OUT_DIR [DATA_DIR]");
      System.exit(2);
    }
    Path out = Files.createDirectories(Path.of(args[0]));
    Path data = args.length > 1 ? Path.of(args[1]) : null;
    ImageDataset test = FashionMnist.loader().directory(data).load().test();
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    byte[] pixels = new byte[28 * 28];
    for (int i = 0; i < test.size(); i++) {
      test.pixelBuffer().get(i * pixels.length, pixels);
      image.getRaster().setDataElements(0, 0, 28, 28, pixels);
      String name = String.format(Locale.ROOT, "%05d_%d.png", i, test.label(i));
      ImageIO.write(image, "png", out.resolve(name).toFile());
    }
    System.out.printf(Locale.ROOT, "wrote %,d PNG files to %s%n", test.size(), out);
  }
}
