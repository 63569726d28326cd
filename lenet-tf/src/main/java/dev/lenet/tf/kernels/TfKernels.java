package dev.lenet.tf.kernels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.tensorflow.Operand;
import org.tensorflow.OperationBuilder;
import org.tensorflow.TensorFlow;
import org.tensorflow.op.Ops;
import org.tensorflow.op.Scope;
import org.tensorflow.proto.OpDef;
import org.tensorflow.types.TFloat32;

/**
 * lenet's own TensorFlow kernels (lenet-tf's {@code src/main/c}): ops that do in one pass what the
 * graph otherwise does in several, with the same results bit for bit. The jar holds them for Linux
 * x86-64, built with the jar; {@link #available()} loads them into TensorFlow on first use (once
 * per class loader; a second one finds their ops registered). The backend uses them only in
 * training graphs on the CPU: inference and exported graphs keep TensorFlow's standard ops, which
 * any TensorFlow runtime has.
 */
public final class TfKernels {

  /** The platform the jar holds the kernels for. */
  public static final String PLATFORM = "linux-x86_64";

  private static final String LIBRARY = "liblenet_kernels.so";
  private static final String RESOURCE = "/dev/lenet/tf/kernels/" + PLATFORM + "/" + LIBRARY;

  /** The average pool's gradient through each activation, by its TensorFlow name. */
  private static final List<String> POOL_ACTIVATIONS = List.of("Sigmoid", "Tanh", "Relu");

  private static final String MAX_POOL = "LenetMaxPoolGrad";

  private static final String SCALE_SHIFT = "LenetScaleShift";

  private TfKernels() {}

  /**
   * Whether the kernels are loaded: false on a platform the jar has none for.
   *
   * @throws IllegalStateException if the jar has them for this platform but TensorFlow could not
   *     load them (a backend that should run them does not fall back silently); {@code
   *     TfOptions.withNativeKernels(false)} runs without them
   */
  public static boolean available() {
    Loading state = Loading.get();
    if (state.failure() != null) {
      throw new IllegalStateException(state.failure());
    }
    return state.loaded();
  }

  /**
   * The gradient of a convolution stage's products from that of its 2x2 average pool through its
   * activation, in one kernel: {@code dx[r, q*G + c] = f'(y[r, q*G + c]) * dPool[r, c] / 4}. The
   * same as TensorFlow's {@code Mul}, {@code Tile} and the activation's gradient op (e.g. {@code
   * SigmoidGrad}).
   *
   * @param activation the activation's TensorFlow name: Sigmoid, Tanh or Relu
   * @param y the stage's activations {@code [rows, 4G]}, each row's four column groups the four
   *     pixels of a pooling window
   * @param dPool the gradient of the pool's output {@code [rows, G]}
   * @throws IllegalStateException if the kernels are not {@link #available()}
   */
  public static Operand<TFloat32> avgPoolActivationGradient(
      Ops tf, String activation, Operand<TFloat32> y, Operand<TFloat32> dPool) {
    if (!POOL_ACTIVATIONS.contains(activation)) {
      throw new IllegalArgumentException(
          "no native average-pool gradient for the activation "
              + activation
              + "; there are: "
              + POOL_ACTIVATIONS);
    }
    return build(tf, "LenetAvgPool" + activation + "Grad", y, dPool);
  }

  /**
   * The gradient of a convolution stage's values from that of its 2x2 max pool, in one kernel: all
   * of {@code dPool[r, c]} to the first pixel {@code q} of its window whose {@code x[r, q*G + c]}
   * is not below {@code pooled[r, c]} (the pixel {@code MaxPoolGrad} picks), zero to the others.
   * The same, bit for bit, as the graph's ops for it ({@code Split}, {@code Less}, {@code Cast},
   * {@code Mul}, {@code Sub}, {@code ConcatV2}).
   *
   * @param x the pooled values {@code [rows, 4G]}, each row's four column groups the four pixels of
   *     a pooling window
   * @param pooled their pool, the largest of each window {@code [rows, G]}
   * @param dPool the gradient of the pool's output {@code [rows, G]}
   * @throws IllegalStateException if the kernels are not {@link #available()}
   */
  public static Operand<TFloat32> maxPoolGradient(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> pooled, Operand<TFloat32> dPool) {
    return build(tf, MAX_POOL, x, pooled, dPool);
  }

  /**
   * Batch normalization of blocked rows in training, {@code x * scale + shift} per column, in one
   * kernel: the same, bit for bit, as TensorFlow's {@code Mul} and then {@code Add}.
   *
   * @param x the values {@code [rows, C]}
   * @param scale the per-column scale {@code [C]}
   * @param shift the per-column shift {@code [C]}
   * @throws IllegalStateException if the kernels are not {@link #available()}
   */
  public static Operand<TFloat32> scaleShift(
      Ops tf, Operand<TFloat32> x, Operand<TFloat32> scale, Operand<TFloat32> shift) {
    return build(tf, SCALE_SHIFT, x, scale, shift);
  }

  /**
   * The gradient of {@link #scaleShift}'s input in batch normalization's training pass, {@code (dy
   * * scale + x * perX) + offset} per column, in one kernel: the same, bit for bit, as TensorFlow's
   * two {@code Mul} and two {@code Add}.
   *
   * @param dy the gradient of the normalized values {@code [rows, C]}
   * @param x the values that were normalized {@code [rows, C]}
   * @param scale the per-column scale {@code [C]}
   * @param perX the per-column factor of {@code x} {@code [C]}
   * @param offset the per-column offset {@code [C]}
   * @throws IllegalStateException if the kernels are not {@link #available()}
   */
  public static Operand<TFloat32> scaleShiftGradient(
      Ops tf,
      Operand<TFloat32> dy,
      Operand<TFloat32> x,
      Operand<TFloat32> scale,
      Operand<TFloat32> perX,
      Operand<TFloat32> offset) {
    return build(tf, SCALE_SHIFT + "Grad", dy, x, scale, perX, offset);
  }

  @SafeVarargs
  private static Operand<TFloat32> build(Ops tf, String type, Operand<TFloat32>... inputs) {
    if (!available()) {
      throw new IllegalStateException(
          "lenet's native kernels are for "
              + PLATFORM
              + " only; build the graph without them (TfOptions.withNativeKernels(false))");
    }
    Scope scope = tf.scope();
    OperationBuilder op = scope.env().opBuilder(type, scope.makeOpName(type), scope);
    for (Operand<TFloat32> input : inputs) {
      op.addInput(input.asOutput());
    }
    return op.build().<TFloat32>output(0);
  }

  /** Whether the kernels are for this JVM's platform. */
  static boolean onPlatform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "");
    return os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
  }

  /** The ops the library registers. */
  static Set<String> opNames() {
    return Stream.concat(
            POOL_ACTIVATIONS.stream().map(a -> "LenetAvgPool" + a + "Grad"),
            Stream.of(MAX_POOL, SCALE_SHIFT, SCALE_SHIFT + "Grad"))
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The outcome of loading the library, once per class loader. */
  private record Loading(boolean loaded, String failure) {

    private static Loading state;

    /** Loads the library on first use (not in a static initializer, which could only fail once). */
    static synchronized Loading get() {
      if (state == null) {
        state = load();
      }
      return state;
    }

    private static Loading load() {
      if (!onPlatform() || TfKernels.class.getResource(RESOURCE) == null) {
        return new Loading(false, null);
      }
      Set<String> registered = registered();
      if (registered.containsAll(opNames())) {
        // Loaded already, by another class loader of this process (e.g. a web app's).
        return new Loading(true, null);
      }
      Path file = null;
      try (InputStream in = TfKernels.class.getResourceAsStream(RESOURCE)) {
        file = Files.createTempFile("lenet-kernels-", ".so");
        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        TensorFlow.loadLibrary(file.toString());
      } catch (IOException | RuntimeException | LinkageError e) {
        // TensorFlow.loadLibrary reports TensorFlow's errors as UnsatisfiedLinkError.
        return new Loading(
            false,
            "lenet's native kernels ("
                + RESOURCE
                + " in lenet-tf's jar, copied to "
                + (file == null ? System.getProperty("java.io.tmpdir") : file)
                + ") could not be loaded into TensorFlow "
                + TensorFlow.version()
                + ": "
                + e
                + "; a java.io.tmpdir that allows executables may help, or"
                + " TfOptions.withNativeKernels(false) runs TensorFlow's own ops instead");
      } finally {
        deleteQuietly(file);
      }
      Set<String> now = registered();
      Set<String> missing =
          opNames().stream()
              .filter(op -> !now.contains(op))
              .collect(Collectors.toUnmodifiableSet());
      return missing.isEmpty()
          ? new Loading(true, null)
          : new Loading(
              false,
              "lenet's native kernels loaded, but TensorFlow has no op "
                  + missing
                  + "; TfOptions.withNativeKernels(false) runs TensorFlow's own ops instead");
    }

    private static Set<String> registered() {
      return TensorFlow.registeredOpList().getOpList().stream()
          .map(OpDef::getName)
          .filter(name -> name.startsWith("Lenet"))
          .collect(Collectors.toUnmodifiableSet());
    }

    /** The library stays mapped after its file is gone. */
    private static void deleteQuietly(Path file) {
      if (file == null) {
        return;
      }
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        file.toFile().deleteOnExit();
      }
    }
  }
}
