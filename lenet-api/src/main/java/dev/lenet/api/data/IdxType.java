package dev.lenet.api.data;

/** The element types of the IDX format, with their type byte and size. */
public enum IdxType {
  UNSIGNED_BYTE(0x08, 1),
  SIGNED_BYTE(0x09, 1),
  SHORT(0x0B, 2),
  INT(0x0C, 4),
  FLOAT(0x0D, 4),
  DOUBLE(0x0E, 8);

  private final int code;
  private final int bytes;

  IdxType(int code, int bytes) {
    this.code = code;
    this.bytes = bytes;
  }

  /** The type byte in an IDX header. */
  public int code() {
    return code;
  }

  /** Bytes per element. */
  public int bytes() {
    return bytes;
  }

  /** The type with this header byte, or null. */
  static IdxType ofCode(int code) {
    for (IdxType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return null;
  }
}
