package dev.lenet.api.data;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The SHA-256 of a stream that one thread reads, computed on another thread while it is read: the
 * reading thread's {@link #wrap wrapped} stream hands over each range of bytes as it is filled, and
 * {@link #sha256()} digests them in order. So the checksum of the big training-images file costs no
 * time on its reading thread, which decompressing keeps busy longer than hashing takes.
 *
 * <p>The bytes handed over are not copied: a range is digested from the reader's own array, which
 * is safe because the reader writes each range once and only moves on.
 */
final class PipedDigest {

  private record Range(byte[] bytes, int offset, int length) {}

  private static final Range END = new Range(new byte[0], 0, 0);

  private final BlockingQueue<Range> ranges = new LinkedBlockingQueue<>();

  private volatile boolean cancelled;

  /** Hands every byte read through the returned stream to {@link #sha256()}. */
  InputStream wrap(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        stopIfCancelled();
        int b = super.read();
        if (b >= 0) {
          ranges.add(new Range(new byte[] {(byte) b}, 0, 1));
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        stopIfCancelled();
        int n = super.read(b, off, len);
        if (n > 0) {
          ranges.add(new Range(b, off, n));
        }
        return n;
      }
    };
  }

  /** Makes the wrapped stream's next read fail: nobody will take the checksum. */
  void cancel() {
    cancelled = true;
  }

  private void stopIfCancelled() throws IOException {
    if (cancelled) {
      throw new InterruptedIOException("checksumming cancelled: another file failed to load");
    }
  }

  /** Marks the end of the stream (also after a failed read); call once, from the reading thread. */
  void end() {
    ranges.add(END);
  }

  /**
   * Digests the ranges as they come until {@link #end()}, and returns the lowercase hex SHA-256.
   */
  String sha256() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    try {
      for (Range r = ranges.take(); r != END; r = ranges.take()) {
        digest.update(r.bytes(), r.offset(), r.length());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DatasetException("interrupted while checksumming the data", e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
