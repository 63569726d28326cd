package dev.lenet.serve;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * A run directory as {@code lenet train} leaves it, for the page's tests: {@code model/} (a LeNet
 * trained for one epoch on synthetic data) and a {@code metrics.json} whose last test accuracy is
 * {@link #TEST_ACCURACY}; and test images.
 */
final class TrainedRun {

  static final double TEST_ACCURACY = 0.8125;

  private TrainedRun() {}

  /** The model directory of a new run under {@code dir}. */
  static Path create(Path dir) throws IOException {
    Path run = dir.resolve("run");
    Path model = ServingModel.save(dir.resolve("data"), run.resolve("model"));
    Files.writeString(
        run.resolve("metrics.json"),
        "{\"dataset\": \"fashion-mnist\", \"epochs\": [{\"epoch\": 1, \"loss\": 0.9, \"test_acc\":"
            + " 0.5}, {\"epoch\": 2, \"loss\": 0.6, \"test_acc\": "
            + TEST_ACCURACY
            + "}]}\n");
    return model;
  }

  /** A gray PNG of {@code size} x {@code size}: a light shape on black that varies with seed. */
  static byte[] png(int size, int seed) {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int v = (x * (seed + 3) + y * (2 * seed + 1)) % 256;
        boolean inside = Math.abs(x - size / 2) < size / (3 + seed % 3) && y > size / 5;
        image.getRaster().setSample(x, y, 0, inside ? 255 - v / 3 : v / 8);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A small PNG whose header declares {@code width} x {@code height} pixels and holds none. */
  static byte[] declaredPng(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, width);
    putInt(ihdr, 4, height);
    ihdr[8] = 8; // bit depth
    ihdr[9] = 0; // gray
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01});
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] length = new byte[4];
    putInt(length, 0, data.length);
    out.writeBytes(length);
    byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
    out.writeBytes(typeBytes);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(typeBytes);
    crc.update(data);
    byte[] sum = new byte[4];
    putInt(sum, 0, (int) crc.getValue());
    out.writeBytes(sum);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
