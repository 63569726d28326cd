package dev.lenet.api.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The contents of one IDX file: an element type, the dimensions, and the elements in row-major
 * order. Immutable. Read one with {@link IdxReader#read(java.nio.file.Path)}.
 */
public final class IdxArray {

  private final IdxType type;
  private final List<Integer> dims;
  private final byte[] data;

  IdxArray(IdxType type, List<Integer> dims, byte[] data) {
    this.type = type;
    this.dims = List.copyOf(dims);
    this.data = data;
  }

  /** The element type. */
  public IdxType type() {
    return type;
  }

  /** The dimensions, outermost first (for MNIST images: count, rows, columns). */
  public List<Integer> dims() {
    return dims;
  }

  /** The number of elements. */
  public int length() {
    return data.length / type.bytes();
  }

  /** Element {@code i} as a double, whatever the type (unsigned bytes give 0-255). */
  public double getDouble(int i) {
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
    int at = i * type.bytes();
    return switch (type) {
      case UNSIGNED_BYTE -> data[i] & 0xFF;
      case SIGNED_BYTE -> data[i];
      case SHORT -> b.getShort(at);
      case INT -> b.getInt(at);
      case FLOAT -> b.getFloat(at);
      case DOUBLE -> b.getDouble(at);
    };
  }

  /** The elements' bytes as stored (big-endian for multi-byte types), read-only, not copied. */
  public ByteBuffer buffer() {
    return ByteBuffer.wrap(data).asReadOnlyBuffer().order(ByteOrder.BIG_ENDIAN);
  }

  /**
   * The SHA-256 of the file's content as read: header and elements, after any gzip is undone (what
   * {@code zcat FILE | sha256sum} prints), in lowercase hex.
   */
  public String sha256() {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
    ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.size()).order(ByteOrder.BIG_ENDIAN);
    header.put((byte) 0).put((byte) 0).put((byte) type.code()).put((byte) dims.size());
    for (int d : dims) {
      header.putInt(d);
    }
    digest.update(header.array());
    digest.update(data);
    return HexFormat.of().formatHex(digest.digest());
  }

  /** The raw element bytes, shared: only for this package, which hands them on without change. */
  byte[] sharedBytes() {
    return data;
  }
}
