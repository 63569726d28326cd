package dev.lenet.api.data;

/**
 * One mini-batch: pixels scaled to [0, 1] by {@link Pixels} (as the book's {@code ToTensor} does),
 * and labels.
 *
 * <p>{@code images} holds {@code size() * imageSize} floats, image after image, each in the
 * dataset's {@code (C, H, W)} layout. Arrays are owned by the batch; callers must not change them.
 */
public final class Batch {

  private final int[] indices;
  private final float[] images;
  private final int[] labels;

  private Batch(int[] indices, float[] images, int[] labels) {
    this.indices = indices;
    this.images = images;
    this.labels = labels;
  }

  static Batch gather(ImageDataset data, int[] indices) {
    int s = (int) data.imageShape().size();
    float[] images = new float[indices.length * s];
    int[] labels = new int[indices.length];
    java.nio.ByteBuffer pixels = data.pixelBuffer();
    for (int b = 0; b < indices.length; b++) {
      int base = indices[b] * s;
      int out = b * s;
      Pixels.toUnit(pixels, base, images, out, s);
      labels[b] = data.label(indices[b]);
    }
    return new Batch(indices, images, labels);
  }

  /** Examples in this batch. */
  public int size() {
    return indices.length;
  }

  /** Which dataset examples this batch holds, in order. */
  public int[] indices() {
    return indices;
  }

  /** Pixels in [0, 1], image after image. */
  public float[] images() {
    return images;
  }

  /** Labels, one per image. */
  public int[] labels() {
    return labels;
  }
}
