package dev.lenet.tf;

import dev.lenet.api.spec.Shape;

/** Converts images between the API's channel-major layout and TensorFlow's NHWC. */
final class TfImages {

  private TfImages() {}

  /**
   * {@code n} images starting at {@code offset} of {@code chw} (each {@code C x H x W}) as one NHWC
   * array; for one channel the layouts agree and only the range is copied.
   */
  static float[] toNhwc(float[] chw, int offset, int n, Shape shape) {
    int c = shape.channels();
    int hw = shape.height() * shape.width();
    int size = c * hw;
    if (c == 1) {
      return java.util.Arrays.copyOfRange(chw, offset, offset + n * size);
    }
    float[] out = new float[n * size];
    for (int i = 0; i < n; i++) {
      int base = offset + i * size;
      for (int ch = 0; ch < c; ch++) {
        for (int p = 0; p < hw; p++) {
          out[i * size + p * c + ch] = chw[base + ch * hw + p];
        }
      }
    }
    return out;
  }
}
