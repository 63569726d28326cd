package dev.lenet.tf.runtime;

import java.util.List;

/**
 * Converts weights between the API's (PyTorch) layouts and TensorFlow's.
 *
 * <p>Convolution: API {@code (O, I, H, W)}, TensorFlow {@code (H, W, I, O)}. Dense: API {@code
 * (units, in)}, TensorFlow {@code (in, units)}. Biases are the same in both.
 */
public final class TfLayouts {

  private TfLayouts() {}

  /** The TensorFlow shape of a parameter with API shape {@code apiShape}. */
  public static long[] tfShape(List<Integer> apiShape) {
    return switch (apiShape.size()) {
      case 4 -> new long[] {apiShape.get(2), apiShape.get(3), apiShape.get(1), apiShape.get(0)};
      case 2 -> new long[] {apiShape.get(1), apiShape.get(0)};
      default -> apiShape.stream().mapToLong(Integer::longValue).toArray();
    };
  }

  /** API layout to TensorFlow layout. */
  public static float[] toTf(float[] api, List<Integer> apiShape) {
    return switch (apiShape.size()) {
      case 4 -> oihwToHwio(api, apiShape.get(0), apiShape.get(1), apiShape.get(2), apiShape.get(3));
      case 2 -> transpose(api, apiShape.get(0), apiShape.get(1));
      default -> api.clone();
    };
  }

  /** TensorFlow layout to API layout. */
  public static float[] toApi(float[] tf, List<Integer> apiShape) {
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
    return permute(w, new int[] {o, i, h, wd}, new int[] {2, 3, 1, 0});
  }

  private static float[] hwioToOihw(float[] w, int o, int i, int h, int wd) {
    return permute(w, new int[] {h, wd, i, o}, new int[] {3, 2, 0, 1});
  }

  /**
   * A row-major 4-D array with dimensions {@code dims}, its axes reordered: axis {@code k} of the
   * result is axis {@code perm[k]} of the source.
   */
  public static float[] permute(float[] src, int[] dims, int[] perm) {
    int[] strides = {dims[1] * dims[2] * dims[3], dims[2] * dims[3], dims[3], 1};
    int[] outDims = {dims[perm[0]], dims[perm[1]], dims[perm[2]], dims[perm[3]]};
    float[] out = new float[src.length];
    int at = 0;
    for (int a = 0; a < outDims[0]; a++) {
      for (int b = 0; b < outDims[1]; b++) {
        for (int c = 0; c < outDims[2]; c++) {
          for (int d = 0; d < outDims[3]; d++) {
            out[at++] =
                src[
                    a * strides[perm[0]]
                        + b * strides[perm[1]]
                        + c * strides[perm[2]]
                        + d * strides[perm[3]]];
          }
        }
      }
    }
    return out;
  }
}
