package dev.lenet.api.data;

import dev.lenet.api.spec.Shape;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * Labelled images held compactly: one unsigned byte per pixel (0-255) and one byte per label.
 * Immutable; Fashion-MNIST's 60,000 training images take 47 MB.
 *
 * <p>Pixel layout: image {@code i} occupies bytes {@code [i * S, (i + 1) * S)} where {@code S =
 * channels * height * width}, channel-major within an image (the spec's {@code (C, H, W)}). For
 * single-channel images this is the same as row-major {@code (H, W)}.
 */
public final class ImageDataset {

  private final String name;
  private final Shape imageShape;
  private final byte[] pixels;
  private final byte[] labels;
  private final List<String> classNames;

  /**
   * Wraps the arrays without copying; the caller hands them over and must not change them after.
   *
   * @param name what the data is, for messages ("fashion-mnist train")
   * @param imageShape {@code (channels, height, width)} of every image
   * @param pixels {@code labels.length * imageShape.size()} bytes
   * @param labels class indices, each in {@code [0, classNames.size())}
   * @param classNames one name per class
   * @throws DatasetException if sizes disagree or a label is out of range
   */
  public ImageDataset(
      String name, Shape imageShape, byte[] pixels, byte[] labels, List<String> classNames) {
    this.name = Objects.requireNonNull(name, "name");
    this.imageShape = Objects.requireNonNull(imageShape, "imageShape");
    this.pixels = Objects.requireNonNull(pixels, "pixels");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.classNames = List.copyOf(classNames);
    if (!imageShape.isImage()) {
      throw new DatasetException(
          name + ": image shape must be (channels, height, width), found " + imageShape);
    }
    if ((long) labels.length * imageShape.size() != pixels.length) {
      throw new DatasetException(
          name
              + ": "
              + labels.length
              + " labels but "
              + pixels.length
              + " pixel bytes; expected "
              + labels.length
              + " images of "
              + imageShape);
    }
    int classes = this.classNames.size();
    for (int i = 0; i < labels.length; i++) {
      int label = labels[i] & 0xFF;
      if (label >= classes) {
        throw new DatasetException(
            name
                + ": label "
                + label
                + " of example "
                + i
                + " is outside the "
                + classes
                + " classes");
      }
    }
  }

  /** What the data is, e.g. {@code fashion-mnist train}. */
  public String name() {
    return name;
  }

  /** Number of examples. */
  public int size() {
    return labels.length;
  }

  /** {@code (channels, height, width)} of every image. */
  public Shape imageShape() {
    return imageShape;
  }

  /** Number of classes. */
  public int classes() {
    return classNames.size();
  }

  /** One name per class, in label order. */
  public List<String> classNames() {
    return classNames;
  }

  /** The label of example {@code i}. */
  public int label(int i) {
    return labels[i] & 0xFF;
  }

  /** The unsigned pixel value (0-255) at {@code offset} within image {@code i}. */
  public int pixel(int i, int offset) {
    return pixels[i * (int) imageShape.size() + offset] & 0xFF;
  }

  /**
   * Copies the pixels of examples {@code indices[from, from + count)} into {@code dst}, image after
   * image, starting at index 0: the raw bytes a backend feeds for a batch.
   *
   * @throws IndexOutOfBoundsException if {@code dst} is too small or an index is out of range
   */
  public void copyImages(int[] indices, int from, int count, byte[] dst) {
    int s = (int) imageShape.size();
    for (int i = 0; i < count; i++) {
      System.arraycopy(pixels, indices[from + i] * s, dst, i * s, s);
    }
  }

  /** All pixels, read-only, in the layout described above; no copy is made. */
  public ByteBuffer pixelBuffer() {
    return ByteBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /** All labels, read-only, one unsigned byte each; no copy is made. */
  public ByteBuffer labelBuffer() {
    return ByteBuffer.wrap(labels).asReadOnlyBuffer();
  }

  /** Examples {@code [from, to)} as a new data set (copied). */
  public ImageDataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size());
    int s = (int) imageShape.size();
    byte[] p = java.util.Arrays.copyOfRange(pixels, from * s, to * s);
    byte[] l = java.util.Arrays.copyOfRange(labels, from, to);
    return new ImageDataset(name + " [" + from + ", " + to + ")", imageShape, p, l, classNames);
  }

  /** How many examples carry each label. */
  public int[] classCounts() {
    int[] counts = new int[classes()];
    for (byte label : labels) {
      counts[label & 0xFF]++;
    }
    return counts;
  }

  /** Mini-batches in the book's manner: see {@link Batches}. */
  public Batches batches(int batchSize) {
    return new Batches(this, batchSize);
  }

  @Override
  public String toString() {
    return name + " (" + size() + " images of " + imageShape + ", " + classes() + " classes)";
  }
}
