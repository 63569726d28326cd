package dev.lenet.tf.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.tf.TestNets;
import dev.lenet.tf.network.TfNetwork;
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
import org.tensorflow.types.TInt32;

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
  void maxPoolGradientIsTensorFlowsMaxPoolGrad() {
    // A row's four column groups are a 2x2 window: [rows, 4G] is NHWC [rows, 2, 2, G]. Values
    // from a few integers make ties, where the gradient goes to the first largest pixel.
    for (int rows : new int[] {37, 2}) {
      for (int groups : new int[] {24, 16, 5, 1}) {
        float[][] x = integers(rows, 4 * groups, groups + 1);
        float[][] dPool = uniform(rows, groups, groups + 2);
        assertThat(signless(maxKernel(x, dPool)))
            .as("%d rows, %d columns per group", rows, groups)
            .isDeepEqualTo(signless(maxPoolGrad(x, dPool)));
      }
    }
  }

  @Test
  void maxPoolGradientNamesMismatchedShapes() {
    assertThatThrownBy(() -> maxKernel(uniform(3, 8, 1), uniform(3, 3, 2)))
        .isInstanceOf(TFInvalidArgumentException.class)
        .hasMessageContaining("values [rows, 4G], their pool [rows, G] and its gradient [rows, G]")
        .hasMessageContaining("[3, 8], [3, 2] and [3, 3]");
  }

  @Test
  void scaleShiftAndItsGradientAreTensorFlowsMulAndAdd() {
    // 64 and 96 columns are the batch-norm LeNet's stages; 5 and 1 leave no whole vector.
    for (int rows : new int[] {37, 2}) {
      for (int columns : new int[] {96, 64, 5, 1}) {
        float[][] x = uniform(rows, columns, columns);
        float[][] dy = uniform(rows, columns, columns + 1);
        float[][] factors = uniform(3, columns, columns + 2);
        try (Graph g = new Graph()) {
          Ops tf = Ops.create(g);
          Operand<TFloat32> scale = tf.constant(factors[0]);
          Operand<TFloat32> perX = tf.constant(factors[1]);
          Operand<TFloat32> shift = tf.constant(factors[2]);
          Operand<TFloat32> xs = tf.constant(x);
          Operand<TFloat32> dys = tf.constant(dy);
          assertThat(run(g, TfKernels.scaleShift(tf, xs, scale, shift)))
              .as("scale and shift, %d x %d", rows, columns)
              .isDeepEqualTo(run(g, tf.math.add(tf.math.mul(xs, scale), shift)));
          assertThat(run(g, TfKernels.scaleShiftGradient(tf, dys, xs, scale, perX, shift)))
              .as("its gradient, %d x %d", rows, columns)
              .isDeepEqualTo(
                  run(
                      g,
                      tf.math.add(
                          tf.math.add(tf.math.mul(dys, scale), tf.math.mul(xs, perX)), shift)));
        }
      }
    }
  }

  @Test
  void scaleShiftNamesMismatchedShapes() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> x = tf.constant(uniform(3, 8, 1));
      Operand<TFloat32> four = tf.constant(new float[4]);
      Operand<TFloat32> eight = tf.constant(new float[8]);
      assertThatThrownBy(() -> run(g, TfKernels.scaleShift(tf, x, eight, four)))
          .isInstanceOf(TFInvalidArgumentException.class)
          .hasMessageContaining("values [rows, C] and vectors [C]")
          .hasMessageContaining("found [3, 8], [8], [4]");
      Operand<TFloat32> other = tf.constant(uniform(2, 8, 2));
      assertThatThrownBy(
              () -> run(g, TfKernels.scaleShiftGradient(tf, other, x, eight, eight, eight)))
          .isInstanceOf(TFInvalidArgumentException.class)
          .hasMessageContaining("found [2, 8], [3, 8], [8], [8], [8]");
    }
  }

  /** A network's plan names the layers the kernels serve, and none without them. */
  @Test
  void theNetworkNamesTheLayersItsKernelsServe() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      assertThat(TfNetwork.create(tf, TestNets.blockedMaxPools(), true, true, true).fastPaths())
          .contains("max-pool gradients in one native kernel: layers 3, 6");
      assertThat(TfNetwork.create(tf, TestNets.tilingPools(), true, true, true).fastPaths())
          .anyMatch(line -> line.startsWith("activation and average-pool gradients"));
      // The first stage's batch norm is taken from its patches, without element-wise ops.
      assertThat(TfNetwork.create(tf, TestNets.blockedBatchNorm(), true, true, true).fastPaths())
          .contains(
              "batch norm's scale and shift, and their input gradient, in native kernels: layers"
                  + " 6");
      assertThat(TfNetwork.create(tf, TestNets.blockedMaxPools(), true, true, false).fastPaths())
          .noneMatch(line -> line.contains("native"));
    }
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

  /** The kernel, with the pool it needs taken as each window's largest pixel. */
  private static float[][] maxKernel(float[][] x, float[][] dPool) {
    float[][] pooled = new float[x.length][x[0].length / 4];
    for (int r = 0; r < x.length; r++) {
      for (int c = 0; c < pooled[r].length; c++) {
        float m = x[r][c];
        for (int q = 1; q < 4; q++) {
          m = Math.max(m, x[r][q * pooled[r].length + c]);
        }
        pooled[r][c] = m;
      }
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      return run(
          g,
          TfKernels.maxPoolGradient(tf, tf.constant(x), tf.constant(pooled), tf.constant(dPool)));
    }
  }

  /** TensorFlow's MaxPool and MaxPoolGrad on the rows as NHWC windows {@code [rows, 2, 2, G]}. */
  private static float[][] maxPoolGrad(float[][] x, float[][] dPool) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      long groups = dPool[0].length;
      Operand<TFloat32> windows =
          tf.reshape(tf.constant(x), tf.constant(new long[] {-1, 2, 2, groups}));
      Operand<TFloat32> pooled = tf.nn.maxPool(windows, size(tf), size(tf), "VALID");
      Operand<TFloat32> d =
          tf.reshape(tf.constant(dPool), tf.constant(new long[] {-1, 1, 1, groups}));
      Operand<TFloat32> dx = tf.nn.maxPoolGrad(windows, pooled, d, size(tf), size(tf), "VALID");
      return run(g, tf.reshape(dx, tf.constant(new long[] {-1, 4 * groups})));
    }
  }

  /** A 2x2 window, stride 2. */
  private static Operand<TInt32> size(Ops tf) {
    return tf.constant(new int[] {1, 2, 2, 1});
  }

  /** The values with -0 as 0: the kernel, like the graph's ops, leaves -0 where d is negative. */
  private static float[][] signless(float[][] values) {
    for (float[] row : values) {
      for (int i = 0; i < row.length; i++) {
        row[i] += 0f;
      }
    }
    return values;
  }

  /** Whole numbers from -2 to 2: windows with equal largest pixels are common. */
  private static float[][] integers(int rows, int columns, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[][] x = new float[rows][columns];
    for (float[] row : x) {
      for (int i = 0; i < columns; i++) {
        row[i] = r.nextInt(5) - 2;
      }
    }
    return x;
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
