package dev.lenet.api.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Builds small IDX files for tests; no data set is ever committed. */
final class IdxFixtures {

  private IdxFixtures() {}

  /** An IDX file's bytes: the header for {@code type} and {@code dims}, then {@code data}. */
  static byte[] idx(int type, int[] dims, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
    b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
    for (int d : dims) {
      b.putInt(d);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] plain) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(plain);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static Path write(Path file, byte[] bytes) {
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** Images {@code count x rows x cols}, pixel value {@code (i * 7 + k) % 256}. */
  static byte[] images(int count, int rows, int cols) {
    byte[] data = new byte[count * rows * cols];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) ((i * 7) % 256);
    }
    return idx(0x08, new int[] {count, rows, cols}, data);
  }

  /** Labels {@code i % classes}. */
  static byte[] labels(int count, int classes) {
    byte[] data = new byte[count];
    for (int i = 0; i < count; i++) {
      data[i] = (byte) (i % classes);
    }
    return idx(0x08, new int[] {count}, data);
  }

  /** Writes a complete, valid, gzipped four-file data set into {@code dir}. */
  static Path dataset(Path dir, int train, int test, int size) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    write(dir.resolve(MnistFiles.TRAIN_IMAGES + ".gz"), gzip(images(train, size, size)));
    write(dir.resolve(MnistFiles.TRAIN_LABELS + ".gz"), gzip(labels(train, 10)));
    write(dir.resolve(MnistFiles.TEST_IMAGES), images(test, size, size));
    write(dir.resolve(MnistFiles.TEST_LABELS), labels(test, 10));
    return dir;
  }
}
