package dev.lenet.api.image;

/**
 * The order of the 8-bit samples of one pixel in an already decoded, interleaved image (row-major,
 * one byte per sample, no padding between rows), as {@link ImageReader#read(byte[], int, int,
 * SampleOrder, String, dev.lenet.api.spec.Shape)} takes it. OpenCV and Spark's {@code image} data
 * source store colour as {@link #BGR} or {@link #BGRA}; alpha is straight (not premultiplied).
 */
public enum SampleOrder {
  /** One sample: gray. */
  GRAY(1, new int[] {0}),
  /** Blue, green, red. */
  BGR(3, new int[] {2, 1, 0}),
  /** Blue, green, red, alpha. */
  BGRA(4, new int[] {2, 1, 0, 3}),
  /** Red, green, blue. */
  RGB(3, new int[] {0, 1, 2}),
  /** Red, green, blue, alpha. */
  RGBA(4, new int[] {0, 1, 2, 3});

  private final int samplesPerPixel;
  private final int[] offsets; // for each of (gray) or (R, G, B[, A]): its offset in a pixel

  SampleOrder(int samplesPerPixel, int[] offsets) {
    this.samplesPerPixel = samplesPerPixel;
    this.offsets = offsets;
  }

  /** Samples per pixel: 1, 3 or 4. */
  public int samplesPerPixel() {
    return samplesPerPixel;
  }

  /** Where gray, or red, green, blue and alpha, sit within a pixel's samples. */
  int[] bandOffsets() {
    return offsets.clone();
  }

  boolean hasAlpha() {
    return samplesPerPixel == 4;
  }
}
