package dev.lenet.api.image;

import dev.lenet.api.data.Pixels;
import dev.lenet.api.spec.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads image files into a model's input, one implementation for the command line, examples and any
 * server or batch job. Immutable and safe to share between threads; configured by values: {@code
 * ImageReader.builder().maxPixels(4_000_000).build()}, or {@link #standard()}.
 *
 * <p>Formats: whatever the JDK's {@code javax.imageio} decodes (PNG, JPEG, GIF, BMP, WBMP, TIFF;
 * the first image of a multi-image file). An image becomes the model's {@code (C, H, W)} input:
 *
 * <ol>
 *   <li>The header's width and height are read first; an image over {@link #maxPixels()} is refused
 *       ({@link ImageTooLargeException}) before anything is decoded.
 *   <li>Samples are taken as stored (no colour management, no gamma, no Java2D drawing): 8-bit
 *       values as they are, other depths (16-bit gray or colour) scaled to 8 bits to the nearest
 *       value, palettes through their colour map. Colour to gray for one-channel models is ITU-R
 *       601 luma rounded as Pillow's {@code convert("L")}; three-channel models keep RGB (a gray
 *       image gives three equal channels). Transparency composites onto black, the background of
 *       Fashion-MNIST and MNIST: a transparent pixel reads as 0, an opaque one as its value. The
 *       exact rules are in {@code SourceRows}' documentation and docs/cli.md.
 *   <li>The image is resized to the model's height and width by area averaging in integer
 *       arithmetic, rounded to 8 bits: an image already of that size is unchanged, and one enlarged
 *       by repeating each pixel in an integer-sized block comes back exactly.
 *   <li>{@link #read} scales the 8-bit samples by {@link Pixels}, the same function that training
 *       batches use: an 8-bit gray PNG of a data set image reaches the model as exactly the floats
 *       that training fed for the same bytes.
 * </ol>
 *
 * <p>Errors are {@link ImageException}s naming the file: missing, not an image, damaged (with the
 * decoder's error as the cause and its reason in the message), a colour type not taken, too large.
 */
public final class ImageReader {

  /** The default limit: 25 megapixels, about 100 MB decoded as 8-bit RGBA. */
  public static final long DEFAULT_MAX_PIXELS = 25_000_000L;

  private final long maxPixels;

  private ImageReader(Builder builder) {
    this.maxPixels = builder.maxPixels;
  }

  /** A reader with the defaults ({@link #DEFAULT_MAX_PIXELS}). */
  public static ImageReader standard() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The most pixels (width times height) an image may declare. */
  public long maxPixels() {
    return maxPixels;
  }

  /**
   * The image in {@code file} as model input: {@code shape.size()} values in [0, 1], {@code (C, H,
   * W)}, ready for {@code TrainedModel.predict}.
   *
   * @param shape the model's input, {@code (1 or 3, H, W)}
   * @throws ImageException naming the file if it cannot be read
   * @throws IllegalArgumentException if {@code shape} is not a 1- or 3-channel image shape
   */
  public float[] read(Path file, Shape shape) {
    return Pixels.toUnit(samples(file, shape));
  }

  /** As {@link #read(Path, Shape)}, from an encoded image in {@code in}, called {@code name}. */
  public float[] read(InputStream in, String name, Shape shape) {
    return Pixels.toUnit(samples(in, name, shape));
  }

  /**
   * The image in {@code file} as 8-bit samples, {@code (C, H, W)}, as a data set stores its images:
   * what {@link #read} scales.
   */
  public byte[] samples(Path file, Shape shape) {
    requireImageShape(shape);
    String name = file.toString();
    if (!Files.isRegularFile(file)) {
      throw new ImageException(
          name + ": " + (Files.exists(file) ? "is not a file" : "no such file"));
    }
    try (ImageInputStream input = new FileImageInputStream(file.toFile())) {
      return decode(input, name, shape);
    } catch (IOException e) {
      throw new ImageException(name + ": cannot read the file: " + reasons(e), e);
    }
  }

  /** As {@link #samples(Path, Shape)}, from an encoded image in {@code in}, called {@code name}. */
  public byte[] samples(InputStream in, String name, Shape shape) {
    requireImageShape(shape);
    try (ImageInputStream input = new MemoryCacheImageInputStream(in)) {
      return decode(input, name, shape);
    } catch (IOException e) {
      throw new ImageException(name + ": cannot read the stream: " + reasons(e), e);
    }
  }

  /**
   * An image already decoded into 8-bit samples (as OpenCV or Spark's {@code image} data source
   * hold it) as model input, converted exactly as an encoded file with the same samples is by
   * {@link #read(Path, Shape)}: an 8-bit PNG decoded elsewhere gives the same floats. Colour to
   * gray is the same luma, alpha composites onto black, the resize is the same area average.
   *
   * @param samples {@code height} rows of {@code width} pixels of {@code order.samplesPerPixel()}
   *     bytes, row-major, no padding
   * @param name what error messages call the image
   * @throws ImageException naming {@code name} if the sizes are not positive or do not match the
   *     samples
   * @throws ImageTooLargeException if {@code width * height} exceeds {@link #maxPixels()}
   */
  public float[] read(
      byte[] samples, int width, int height, SampleOrder order, String name, Shape shape) {
    return Pixels.toUnit(samples(samples, width, height, order, name, shape));
  }

  /** As {@link #read(byte[], int, int, SampleOrder, String, Shape)}, as 8-bit samples. */
  public byte[] samples(
      byte[] samples, int width, int height, SampleOrder order, String name, Shape shape) {
    requireImageShape(shape);
    if (width < 1 || height < 1) {
      throw new ImageException(
          name + ": an image needs a positive size, found " + width + "x" + height);
    }
    if ((long) width * height > maxPixels) {
      throw new ImageTooLargeException(name, width, height, maxPixels);
    }
    int n = order.samplesPerPixel();
    if (samples.length != (long) width * height * n) {
      throw new ImageException(
          name
              + ": a "
              + width
              + "x"
              + height
              + " "
              + order
              + " image has "
              + (long) width * height * n
              + " samples, found "
              + samples.length);
    }
    return resize(
        SourceRows.of(Decoded.image(samples, width, height, order), shape.channels(), name), shape);
  }

  private static void requireImageShape(Shape shape) {
    if (!shape.isImage() || (shape.channels() != 1 && shape.channels() != 3)) {
      throw new IllegalArgumentException(
          "images are read for 1- or 3-channel (C, H, W) inputs, found " + shape);
    }
  }

  private byte[] decode(ImageInputStream input, String name, Shape shape) throws IOException {
    Iterator<javax.imageio.ImageReader> readers = ImageIO.getImageReaders(input);
    if (!readers.hasNext()) {
      throw new ImageException(
          name + ": not an image in a format this reader knows (PNG, JPEG, GIF, BMP, WBMP, TIFF)");
    }
    javax.imageio.ImageReader reader = readers.next();
    try {
      reader.setInput(input, true, false);
      int width;
      int height;
      BufferedImage image;
      try {
        width = reader.getWidth(0);
        height = reader.getHeight(0);
        if ((long) width * height > maxPixels) {
          throw new ImageTooLargeException(name, width, height, maxPixels);
        }
        image = reader.read(0);
      } catch (IOException | RuntimeException | OutOfMemoryError e) {
        if (e instanceof ImageException known) {
          throw known;
        }
        throw new ImageException(
            name + ": cannot decode the " + format(reader) + " image: " + reasons(e), e);
      }
      return resize(SourceRows.of(image, shape.channels(), name), shape);
    } finally {
      reader.dispose();
    }
  }

  private static byte[] resize(SourceRows rows, Shape shape) {
    int c = shape.channels();
    AreaAverage resized =
        new AreaAverage(rows.width(), rows.height(), shape.width(), shape.height(), c);
    int[][] row = new int[c][rows.width()];
    for (int y = 0; y < rows.height(); y++) {
      rows.row(y, row);
      resized.add(y, row);
    }
    return resized.samples();
  }

  private static String format(javax.imageio.ImageReader reader) {
    try {
      return reader.getFormatName().toUpperCase(java.util.Locale.ROOT);
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The reasons along a cause chain, outermost first: {@code "Caught exception during read: not
   * enough memory (Java heap space)"}, where the decoder's own message says nothing.
   */
  static String reasons(Throwable e) {
    StringBuilder s = new StringBuilder();
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      String m = t.getMessage() == null ? "" : t.getMessage().strip();
      while (m.endsWith(":")) {
        m = m.substring(0, m.length() - 1).strip();
      }
      if (t instanceof OutOfMemoryError) {
        m = "not enough memory" + (m.isEmpty() ? "" : " (" + m + ")");
      } else if (m.isEmpty() || (t.getCause() != null && m.equals(t.getCause().toString()))) {
        m = m.isEmpty() && t.getCause() == null ? t.getClass().getSimpleName() : "";
      }
      if (!m.isEmpty()) {
        s.append(s.length() == 0 ? "" : ": ").append(m);
      }
    }
    return s.toString();
  }

  /** Builds an {@link ImageReader}. */
  public static final class Builder {
    private long maxPixels = DEFAULT_MAX_PIXELS;

    private Builder() {}

    /**
     * The most pixels (width times height) an image may declare; larger ones are refused before
     * decoding (default {@link #DEFAULT_MAX_PIXELS}).
     *
     * @throws IllegalArgumentException unless 1 to {@link Integer#MAX_VALUE}
     */
    public Builder maxPixels(long maxPixels) {
      if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "maxPixels must be between 1 and " + Integer.MAX_VALUE + ", found " + maxPixels);
      }
      this.maxPixels = maxPixels;
      return this;
    }

    public ImageReader build() {
      return new ImageReader(this);
    }
  }
}
