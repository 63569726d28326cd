package dev.lenet.api.image;

import java.util.Locale;

/**
 * An image whose header declares more pixels than the reader's limit ({@link
 * ImageReader#maxPixels()}): refused before any pixel is decoded, so that a small file declaring a
 * huge size (an "image bomb") costs neither time nor memory.
 */
public class ImageTooLargeException extends ImageException {

  private static final long serialVersionUID = 1L;

  private final String name;
  private final int width;
  private final int height;
  private final long limit;

  public ImageTooLargeException(String name, int width, int height, long limit) {
    super(
        name
            + ": the image declares "
            + size(width, height)
            + ", more than the limit of "
            + String.format(Locale.ROOT, "%,d", limit)
            + " pixels; scale it down first, or raise the reader's maxPixels if the image is"
            + " trusted");
    this.name = name;
    this.width = width;
    this.height = height;
    this.limit = limit;
  }

  /** {@code "40000x40000 pixels (1,600,000,000)"}. */
  static String size(int width, int height) {
    return String.format(Locale.ROOT, "%dx%d pixels (%,d)", width, height, (long) width * height);
  }

  /** The file or name the image was read from. */
  public String name() {
    return name;
  }

  /** The width its header declares. */
  public int width() {
    return width;
  }

  /** The height its header declares. */
  public int height() {
    return height;
  }

  /** The reader's limit, in pixels. */
  public long limit() {
    return limit;
  }
}
