package dev.lenet.tf;

import java.util.List;

/**
 * Converts weights between the API's (PyTorch) layouts and TensorFlow's.
 *
 * <p>Convolution: API {@code (O, I, H, W)}, TensorFlow {@code (H, W, I, O)}. Dense: API {@code
 * (units, in)}, TensorFlow {@code (in, units)}. Biases are the same in both.
 */
final class TfLayouts {

  private TfLayouts() {}

  /** The TensorFlow shape of a parameter with API shape {@code apiShape}. */
  static long[] tfShape(List<Integer> apiShape) {
    return switch (apiShape.size()) {
      case 4 -> new long[] {apiShape.get(2), apiShape.get(3), apiShape.get(1), apiShape.get(0)};
      case 2 -> new long[] {apiShape.get(1), apiShape.get(0)};
      default -> apiShape.stream().mapToLong(Integer::longValue).toArray();
    };
  }

  /** API layout to TensorFlow layout. */
  static float[] toTf(float[] api, List<Integer> apiShape) {
    return switch (apiShape.size()) {
      case 4 -> oihwToHwio(api, apiShape.get(0), apiShape.get(1), apiShape.get(2), apiShape.get(3));
      case 2 -> transpose(api, apiShape.get(0), apiShape.get(1));
      default -> api.clone();
    };
  }

  /** TensorFlow layout to API layout. */
  static float[] toApi(float[] tf, List<Integer> apiShape) {
    return switch (apiShape.size()) {
      case 4 -> hwioToOihw(tf, apiShape.get(0), apiShape.get(1), apiShape.get(2), apiShape.get(3));
      case 2 -> transpose(tf, apiShape.get(1), apiShape.get(0));
      default -> tf.clone();
    };
  }

  /** Transposes a row-major {@code rows x cols} matrix. */
  private static float[] transpose(float[] m, int rows, int cols) {
    float[] t = new float[m.length];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        t[c * rows + r] = m[r * cols + c];
      }
    }
    return t;
  }

  private static float[] oihwToHwio(float[] w, int o, int i, int h, int wd) {
    float[] out = new float[w.length];
    for (int a = 0; a < o; a++) {
      for (int b = 0; b < i; b++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < wd; x++) {
            out[((y * wd + x) * i + b) * o + a] = w[((a * i + b) * h + y) * wd + x];
          }
        }
      }
    }
    return out;
  }

  private static float[] hwioToOihw(float[] w, int o, int i, int h, int wd) {
    float[] out = new float[w.length];
    for (int a = 0; a < o; a++) {
      for (int b = 0; b < i; b++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < wd; x++) {
            out[((a * i + b) * h + y) * wd + x] = w[((y * wd + x) * i + b) * o + a];
          }
        }
      }
    }
    return out;
  }
}
