package dev.lenet.api.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files (the MNIST format), plain or gzip-compressed; gzip is recognized by its magic
 * bytes, not by the file name.
 *
 * <p>The format: two zero bytes, a type byte ({@link IdxType}), the number of dimensions, each
 * dimension as a big-endian 32-bit integer, then the elements, big-endian, row-major. The reader is
 * strict: anything off (bad magic, unknown type, zero or absurd dimensions, a truncated file,
 * trailing bytes, a corrupt gzip stream) throws a {@link DatasetException} naming the file, and no
 * array is returned.
 */
public final class IdxReader {

  /** The largest data section accepted (1 GiB), so that a bad header cannot ask for more. */
  public static final long MAX_DATA_BYTES = 1L << 30;

  /** The most dimensions accepted. */
  public static final int MAX_DIMENSIONS = 8;

  private static final int BUFFER = 1 << 16;

  private IdxReader() {}

  /**
   * Reads a whole IDX file.
   *
   * @throws DatasetException naming the file and what is wrong with it
   */
  public static IdxArray read(Path file) {
    return read(file, in -> in);
  }

  /**
   * As {@link #read(Path)}, reading the file's content (after any gzip is undone) through {@code
   * through}: for this package's checksums.
   */
  static IdxArray read(Path file, UnaryOperator<InputStream> through) {
    if (Files.isDirectory(file)) {
      throw new DatasetException(file + ": is a directory, expected an IDX file");
    }
    try {
      boolean gzip = isGzip(file);
      long hint = gzip ? gzipSizeHint(file) : Files.size(file);
      try (InputStream raw = Files.newInputStream(file);
          InputStream in = through.apply(gzip ? new GZIPInputStream(raw, BUFFER) : raw)) {
        try {
          return parse(file, in, gzip, hint);
        } catch (DatasetException e) {
          if (gzip) {
            // Deflate decodes damaged input into plausible garbage; the CRC at the end of the
            // stream tells a corrupt file from a well-compressed bad one.
            in.transferTo(OutputStream.nullOutputStream());
          }
          throw e;
        }
      }
    } catch (NoSuchFileException e) {
      throw new DatasetException(file + ": file not found", e);
    } catch (AccessDeniedException e) {
      throw new DatasetException(file + ": cannot read the file (permission denied)", e);
    } catch (ZipException e) {
      throw new DatasetException(file + ": corrupt gzip stream (" + e.getMessage() + ")", e);
    } catch (EOFException e) {
      throw new DatasetException(file + ": truncated gzip stream (it ends early)", e);
    } catch (IOException e) {
      throw new DatasetException(file + ": cannot read the file: " + e.getMessage(), e);
    }
  }

  private static IdxArray parse(Path file, InputStream in, boolean gzip, long sizeHint)
      throws IOException {
    byte[] magic = in.readNBytes(4);
    if (magic.length < 4) {
      throw new DatasetException(
          file + ": too short for an IDX header (" + magic.length + " bytes)");
    }
    if (magic[0] != 0 || magic[1] != 0) {
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: not an IDX file: magic starts with 0x%02x 0x%02x, expected 0x00 0x00",
              file,
              magic[0] & 0xFF,
              magic[1] & 0xFF));
    }
    IdxType type = IdxType.ofCode(magic[2] & 0xFF);
    if (type == null) {
      throw new DatasetException(
          String.format(
              Locale.ROOT,
              "%s: unknown IDX element type 0x%02x (known: 0x08 unsigned byte, 0x09 signed byte,"
                  + " 0x0B short, 0x0C int, 0x0D float, 0x0E double)",
              file,
              magic[2] & 0xFF));
    }
    int rank = magic[3] & 0xFF;
    if (rank == 0 || rank > MAX_DIMENSIONS) {
      throw new DatasetException(
          file + ": " + rank + " dimensions declared; expected 1 to " + MAX_DIMENSIONS);
    }
    byte[] header = in.readNBytes(4 * rank);
    if (header.length < 4 * rank) {
      throw new DatasetException(file + ": truncated: the header ends inside the dimensions");
    }
    ByteBuffer dimBytes = ByteBuffer.wrap(header).order(ByteOrder.BIG_ENDIAN);
    List<Integer> dims = new ArrayList<>(rank);
    long bytes = type.bytes();
    for (int i = 0; i < rank; i++) {
      int d = dimBytes.getInt();
      if (d <= 0) {
        throw new DatasetException(file + ": dimension " + i + " is " + d + "; must be > 0");
      }
      dims.add(d);
      bytes *= d;
      if (bytes > MAX_DATA_BYTES) {
        throw new DatasetException(
            file
                + ": header declares "
                + describe(type, dims)
                + " or more, over "
                + MAX_DATA_BYTES
                + " bytes; the header is corrupt or the file is not a data set this reader takes");
      }
    }
    int headerBytes = 4 + 4 * rank;
    if (!gzip && headerBytes + bytes > sizeHint) {
      throw truncated(file, type, dims, bytes, sizeHint - headerBytes);
    }
    byte[] data = readData(in, (int) bytes, gzip ? sizeHint - headerBytes : bytes);
    if (data.length < bytes) {
      throw truncated(file, type, dims, bytes, data.length);
    }
    if (in.read() != -1) {
      throw new DatasetException(
          file
              + ": trailing garbage: bytes follow the "
              + bytes
              + " data bytes that the header declares ("
              + describe(type, dims)
              + ")");
    }
    return new IdxArray(type, dims, data);
  }

  /**
   * Reads up to {@code bytes} bytes. The first allocation is no larger than {@code expected} (the
   * size the gzip trailer announces), so a corrupt header cannot make us allocate what the file
   * cannot hold; for honest files it is exact and nothing is copied.
   */
  private static byte[] readData(InputStream in, int bytes, long expected) throws IOException {
    int capacity = (int) Math.max(0, Math.min(bytes, Math.max(expected, BUFFER)));
    byte[] data = new byte[capacity];
    int filled = 0;
    while (true) {
      int n = in.readNBytes(data, filled, data.length - filled);
      filled += n;
      if (filled < data.length || filled == bytes) {
        return filled == data.length ? data : Arrays.copyOf(data, filled);
      }
      data = Arrays.copyOf(data, (int) Math.min(bytes, 2L * data.length));
    }
  }

  private static DatasetException truncated(
      Path file, IdxType type, List<Integer> dims, long declared, long present) {
    return new DatasetException(
        file
            + ": truncated: header declares "
            + describe(type, dims)
            + " ("
            + declared
            + " bytes) but only "
            + Math.max(0, present)
            + " data bytes follow");
  }

  private static String describe(IdxType type, List<Integer> dims) {
    StringBuilder s = new StringBuilder();
    for (int d : dims) {
      if (s.length() > 0) {
        s.append('x');
      }
      s.append(d);
    }
    return s + " " + type.name().toLowerCase(Locale.ROOT).replace('_', ' ') + "s";
  }

  private static boolean isGzip(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(2);
      return head.length == 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    }
  }

  /** The uncompressed size from the gzip trailer (modulo 2^32, exact for one member < 4 GiB). */
  private static long gzipSizeHint(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() < 18) {
        return 0;
      }
      ByteBuffer tail = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
      ch.read(tail, ch.size() - 4);
      return Integer.toUnsignedLong(tail.flip().getInt());
    }
  }
}
