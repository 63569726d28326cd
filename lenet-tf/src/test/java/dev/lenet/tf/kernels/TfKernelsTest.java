package dev.lenet.tf.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.exceptions.TFInvalidArgumentException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** lenet's native kernels against the TensorFlow ops they replace, bit for bit. */
class TfKernelsTest {

  /** The build puts them into the jar on this platform (CI's): a jar without them fails here. */
  @Test
  void theJarHasTheKernelsForLinuxX86() {
    assertThat(TfKernels.onPlatform()).as("tests run on Linux x86-64").isTrue();
    assertThat(TfKernels.available()).isTrue();
  }

  @Test
  void averagePoolGradientThroughEachActivationIsTensorFlowsOwn() {
    // 24 and 16 columns per group are LeNet's stages; 1,100 a stage of 4x4 blocks with 275
    // filters; the others leave tensors whose sizes are not whole packets of TensorFlow's
    // vectors, where its kernels change their order of products.
    for (int rows : new int[] {37, 2}) {
      for (int groups : new int[] {24, 16, 1100, 5, 3, 1}) {
        for (String activation : new String[] {"Sigmoid", "Tanh", "Relu"}) {
          float[][] y = activations(activation, rows, 4 * groups, groups + 1);
          float[][] dPool = uniform(rows, groups, groups + 2);
          assertThat(kernel(activation, y, dPool))
              .as("%s, %d rows, %d columns per group", activation, rows, groups)
              .isDeepEqualTo(tensorFlow(activation, y, dPool));
        }
      }
    }
  }

  @Test
  void mismatchedShapesAreTensorFlowErrorsNamingTheShapes() {
    assertThatThrownBy(() -> kernel("Sigmoid", uniform(3, 8, 1), uniform(3, 3, 2)))
        .isInstanceOf(TFInvalidArgumentException.class)
        .hasMessageContaining("[rows, 4G]")
        .hasMessageContaining("[3, 8] and [3, 3]");
    assertThatThrownBy(() -> kernel("Sigmoid", uniform(4, 8, 1), uniform(3, 2, 2)))
        .isInstanceOf(TFInvalidArgumentException.class)
        .hasMessageContaining("[4, 8] and [3, 2]");
  }

  @Test
  void anActivationWithoutAKernelIsRefusedByName() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(new float[][] {{1, 2, 3, 4}});
      assertThatThrownBy(
              () ->
                  TfKernels.avgPoolActivationGradient(
                      tf, "Softplus", x, tf.constant(new float[][] {{1}})))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Softplus")
          .hasMessageContaining("[Sigmoid, Tanh, Relu]");
    }
  }

  private static float[][] kernel(String activation, float[][] y, float[][] dPool) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      return run(
          g,
          TfKernels.avgPoolActivationGradient(tf, activation, tf.constant(y), tf.constant(dPool)));
    }
  }

  /** The graph's own ops for the same gradient: a quarter, tiled over the window, through f'. */
  private static float[][] tensorFlow(String activation, float[][] y, float[][] dPool) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> spread =
          tf.tile(
              tf.math.mul(tf.constant(dPool), tf.constant(0.25f)), tf.constant(new int[] {1, 4}));
      Operand<TFloat32> out = tf.constant(y);
      Operand<TFloat32> dx =
          switch (activation) {
            case "Sigmoid" -> tf.math.sigmoidGrad(out, spread);
            case "Tanh" -> tf.math.tanhGrad(out, spread);
            case "Relu" -> tf.nn.reluGrad(spread, out);
            default -> throw new IllegalArgumentException(activation);
          };
      return run(g, dx);
    }
  }

  private static float[][] run(Graph g, Operand<TFloat32> out) {
    try (Session s = new Session(g);
        Result r = s.runner().fetch(out).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      Shape shape = t.shape();
      float[][] values = new float[(int) shape.get(0)][(int) shape.get(1)];
      StdArrays.copyFrom(t, values);
      return values;
    }
  }

  /** The activation's outputs of inputs in [-4, 4] (ReLU's zero for the negative ones). */
  private static float[][] activations(String activation, int rows, int columns, long seed) {
    float[][] x = uniform(rows, columns, seed);
    for (float[] row : x) {
      for (int i = 0; i < row.length; i++) {
        float v = 4 * row[i];
        row[i] =
            switch (activation) {
              case "Sigmoid" -> (float) (1 / (1 + Math.exp(-v)));
              case "Tanh" -> (float) Math.tanh(v);
              default -> Math.max(0, v);
            };
      }
    }
    return x;
  }

  private static float[][] uniform(int rows, int columns, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[rows][columns];
    for (float[] row : x) {
      for (int i = 0; i < columns; i++) {
        row[i] = (float) (r.nextDouble() * 2 - 1);
      }
    }
    return x;
  }
}
