package dev.lenet.tf.layers;

import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.Shape;
import java.util.Arrays;
import org.tensorflow.Operand;
import org.tensorflow.types.TFloat32;

/** Checks TensorFlow's static shapes against the spec's shape inference. */
public final class TfShapes {

  private TfShapes() {}

  /**
   * Fails if {@code x}'s static shape is not the NHWC form of the layer's inferred output.
   *
   * @throws IllegalStateException naming the layer and both shapes
   */
  public static void check(LayerInfo info, Operand<TFloat32> x) {
    org.tensorflow.ndarray.Shape actual = x.shape();
    Shape expected = info.outputShape();
    long[] want =
        expected.isImage()
            ? new long[] {expected.height(), expected.width(), expected.channels()}
            : new long[] {expected.dim(0)};
    boolean ok = actual.numDimensions() == want.length + 1;
    for (int i = 0; ok && i < want.length; i++) {
      ok = actual.get(i + 1) == want[i];
    }
    if (!ok) {
      throw new IllegalStateException(
          "layer "
              + info.number()
              + " ("
              + info.layer().describe()
              + "): TensorFlow computed shape "
              + actual
              + " but the spec says "
              + expected
              + " (NHWC: [batch, "
              + Arrays.toString(want).replaceAll("[\\[\\]]", "")
              + "])");
    }
  }
}
