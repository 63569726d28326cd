package dev.lenet.tf.runtime;

import dev.lenet.api.data.Pixels;
import dev.lenet.api.spec.Shape;

/** Converts images between the API's channel-major layout and TensorFlow's NHWC. */
public final class TfImages {

  /**
   * Images stored as the data sets store them, {@code [batch, C*H*W]} unsigned bytes, as NHWC
   * floats in [0, 1], each byte scaled by {@link #scale}.
   */
  public static org.tensorflow.Operand<org.tensorflow.types.TFloat32> fromBytes(
      org.tensorflow.op.Ops tf,
      org.tensorflow.Operand<org.tensorflow.types.TUint8> bytes,
      Shape shape) {
    var scaled = scale(tf, bytes);
    if (shape.channels() == 1) {
      return tf.reshape(scaled, tf.constant(new long[] {-1, shape.height(), shape.width(), 1}));
    }
    var nchw =
        tf.reshape(
            scaled, tf.constant(new long[] {-1, shape.channels(), shape.height(), shape.width()}));
    return tf.linalg.transpose(nchw, tf.constant(new int[] {0, 2, 3, 1}));
  }

  /**
   * Unsigned bytes (any shape) as exactly {@link Pixels}' values, {@code b * (1f / 255f)}, bit for
   * bit (checked for all 256 bytes by {@code TfImagesTest}): training feeds the network the floats
   * that batches and read images get. (A division by 255 would not help: TensorFlow rewrites a
   * float division by a constant into this product.)
   */
  public static org.tensorflow.Operand<org.tensorflow.types.TFloat32> scale(
      org.tensorflow.op.Ops tf, org.tensorflow.Operand<org.tensorflow.types.TUint8> bytes) {
    return tf.math.mul(
        tf.dtypes.cast(bytes, org.tensorflow.types.TFloat32.class), tf.constant(1f / 255f));
  }

  private TfImages() {}

  /**
   * {@code n} images starting at {@code offset} of {@code chw} (each {@code C x H x W}) as one NHWC
   * array; for one channel the layouts agree and only the range is copied.
   */
  public static float[] toNhwc(float[] chw, int offset, int n, Shape shape) {
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
