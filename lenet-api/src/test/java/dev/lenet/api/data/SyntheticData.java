package dev.lenet.api.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a small Fashion-MNIST-shaped data set (28x28, 10 classes, IDX files, gzipped) into a
 * directory: class k lights up rows 2k to 2k+5, with noise. Test data only; never committed.
 */
public final class SyntheticData {

  private SyntheticData() {}

  public static Path write(Path dir, int train, int test) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(1);
    write(dir, "train", train, random);
    write(dir, "t10k", test, random);
    return dir;
  }

  private static void write(Path dir, String prefix, int n, SplittableRandom random)
      throws IOException {
    byte[] images = new byte[n * 784];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int k = random.nextInt(10);
      labels[i] = (byte) k;
      for (int p = 0; p < 784; p++) {
        int row = p / 28;
        boolean lit = row >= 2 * k && row < 2 * k + 6;
        images[i * 784 + p] = (byte) ((lit ? 160 : 0) + random.nextInt(90));
      }
    }
    gzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"), header(0x08, n, 28, 28), images);
    gzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), header(0x08, n), labels);
  }

  private static byte[] header(int type, int... dims) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    return b.array();
  }

  private static void gzip(Path file, byte[] header, byte[] data) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(header);
      out.write(data);
    }
  }
}
