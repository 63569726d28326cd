package dev.lenet.api.spec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of one example as it flows between layers, without the batch dimension.
 *
 * <p>Images are {@code (channels, height, width)}, as in the book and PyTorch; vectors are {@code
 * (features)}. Every dimension is positive.
 *
 * @param dims the sizes of the dimensions, outermost first
 */
public record Shape(List<Integer> dims) {

  public Shape {
    dims = List.copyOf(dims);
    if (dims.isEmpty()) {
      throw new IllegalArgumentException("a shape needs at least one dimension");
    }
    for (int d : dims) {
      if (d <= 0) {
        throw new IllegalArgumentException("shape dimensions must be > 0, found " + dims);
      }
    }
  }

  /** A shape from its dimensions, outermost first. */
  public static Shape of(int... dims) {
    return new Shape(java.util.Arrays.stream(dims).boxed().toList());
  }

  /** An image shape {@code (channels, height, width)}. */
  public static Shape image(int channels, int height, int width) {
    return of(channels, height, width);
  }

  /** A vector shape {@code (features)}. */
  public static Shape vector(int features) {
    return of(features);
  }

  /** Number of dimensions. */
  public int rank() {
    return dims.size();
  }

  /** Size of dimension {@code i}. */
  public int dim(int i) {
    return dims.get(i);
  }

  /** Whether this is a {@code (channels, height, width)} image shape. */
  public boolean isImage() {
    return dims.size() == 3;
  }

  /** Whether this is a {@code (features)} vector shape. */
  public boolean isVector() {
    return dims.size() == 1;
  }

  /** Channels of an image shape. */
  public int channels() {
    requireImage();
    return dims.get(0);
  }

  /** Height of an image shape. */
  public int height() {
    requireImage();
    return dims.get(1);
  }

  /** Width of an image shape. */
  public int width() {
    requireImage();
    return dims.get(2);
  }

  /** The number of scalars in one example of this shape. */
  public long size() {
    long n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /** The shape with a leading batch dimension, as the book prints it: {@code (1, 6, 28, 28)}. */
  public String withBatch(int batch) {
    return "("
        + batch
        + ", "
        + dims.stream().map(String::valueOf).collect(Collectors.joining(", "))
        + ")";
  }

  private void requireImage() {
    if (!isImage()) {
      throw new IllegalStateException("not an image shape (channels, height, width): " + this);
    }
  }

  /** Compact form used in messages: {@code 6x28x28}. */
  @Override
  public String toString() {
    return dims.stream().map(String::valueOf).collect(Collectors.joining("x"));
  }
}
