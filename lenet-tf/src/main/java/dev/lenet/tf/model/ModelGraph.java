package dev.lenet.tf.model;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Device;
import dev.lenet.tf.kernels.TfKernels;
import dev.lenet.tf.network.TfNetwork;
import dev.lenet.tf.runtime.TfDevices;
import dev.lenet.tf.runtime.TfErrors;
import dev.lenet.tf.runtime.TfImages;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TUint8;

/**
 * A network's graph and session, and its two inference paths: {@code images} (float {@code [batch,
 * H, W, C]} in [0, 1]) to {@code logits} and {@code probabilities}, the serving signature; and
 * {@code raw_images} (the data set's bytes) to predicted classes, for evaluation. Training adds its
 * ops to the graph before {@link #startSession}. Owns both native objects and closes them.
 */
public final class ModelGraph implements AutoCloseable {

  /** Images per session call of evaluation. */
  public static final int INFERENCE_BATCH = 500;

  private final Graph graph = new Graph();
  private final Device device;
  private final Ops tf;
  private final TfNetwork network;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> logits;
  private final Operand<TFloat32> probabilities;
  private final Placeholder<TUint8> rawInput;
  private final Operand<TInt64> rawPredictions;
  private Session session;

  /**
   * Builds the network and its inference paths for {@code device}'s session: on the CPU with fused
   * matrix-product kernels in the convolution stages (see {@link TfNetwork#create}).
   *
   * @throws IllegalArgumentException if {@code classes} differs from the spec's output size
   */
  public ModelGraph(ModelSpec spec, int classes, Device device, boolean convolutionStages) {
    this(spec, classes, device, convolutionStages, device.kind() == Device.Kind.CPU, false);
  }

  /**
   * A graph to train on {@code device}: as {@link #ModelGraph(ModelSpec, int, Device, boolean)},
   * and on the CPU with lenet's native kernels if {@code nativeKernels} asks for them and this
   * platform has them ({@link TfKernels#available()}).
   *
   * @throws IllegalStateException if lenet-tf's jar has the kernels for this platform but they do
   *     not load
   */
  public static ModelGraph forTraining(
      ModelSpec spec,
      int classes,
      Device device,
      boolean convolutionStages,
      boolean nativeKernels) {
    boolean cpu = device.kind() == Device.Kind.CPU;
    return new ModelGraph(
        spec,
        classes,
        device,
        convolutionStages,
        cpu,
        cpu && nativeKernels && TfKernels.available());
  }

  /**
   * A graph to export: TensorFlow's standard ops only, which any TensorFlow runtime loads and
   * optimizes for its own device.
   */
  public static ModelGraph portable(ModelSpec spec, int classes) {
    return new ModelGraph(spec, classes, Device.CPU, true, false, false);
  }

  private ModelGraph(
      ModelSpec spec,
      int classes,
      Device device,
      boolean convolutionStages,
      boolean fusedProducts,
      boolean nativeKernels) {
    this.device = device;
    if (classes != spec.classes()) {
      graph.close();
      throw new IllegalArgumentException(
          "the data has "
              + classes
              + " classes but the model's last layer outputs "
              + spec.classes());
    }
    try {
      this.tf = Ops.create(graph).withDevice(TfDevices.spec(device));
      this.network = TfNetwork.create(tf, spec, convolutionStages, fusedProducts, nativeKernels);
      Shape in = spec.input();
      this.input =
          tf.withName("images")
              .placeholder(
                  TFloat32.class,
                  Placeholder.shape(
                      org.tensorflow.ndarray.Shape.of(-1, in.height(), in.width(), in.channels())));
      this.logits = tf.withName("logits").identity(network.logits(tf, input));
      this.probabilities = tf.withName("probabilities").nn.softmax(logits);
      this.rawInput =
          tf.withName("raw_images")
              .placeholder(
                  TUint8.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, in.size())));
      Operand<TFloat32> nhwc = TfImages.fromBytes(tf, rawInput, in);
      this.rawPredictions = tf.math.argMax(network.logits(tf, nhwc), tf.constant(1));
    } catch (RuntimeException e) {
      graph.close();
      throw e;
    }
  }

  public Graph graph() {
    return graph;
  }

  public Ops tf() {
    return tf;
  }

  public TfNetwork network() {
    return network;
  }

  /** The session, once started. */
  public Session session() {
    return session;
  }

  /** Starts the session with these thread pools (0: TensorFlow's default). */
  public void startSession(int intraOpThreads, int interOpThreads) {
    session = new Session(graph, TfDevices.config(device, intraOpThreads, interOpThreads));
  }

  /** Class probabilities, {@code n x classes} row-major, for {@code n} NHWC images. */
  public float[] probabilities(float[] nhwc, int n) {
    Shape shape = network.spec().input();
    org.tensorflow.ndarray.Shape tfShape =
        org.tensorflow.ndarray.Shape.of(n, shape.height(), shape.width(), shape.channels());
    try (TFloat32 x = TFloat32.tensorOf(tfShape, DataBuffers.of(nhwc, true, false));
        Result r = session.runner().feed(input, x).fetch(probabilities).run()) {
      TFloat32 p = (TFloat32) r.get(0);
      float[] values = new float[(int) p.shape().size()];
      p.copyTo(DataBuffers.of(values, false, false));
      return values;
    }
  }

  /**
   * The serving signature's two outputs for {@code n} NHWC images: {@code [0]} the logits and
   * {@code [1]} the probabilities, each {@code n x classes} row-major, from one session call.
   */
  public float[][] logitsAndProbabilities(float[] nhwc, int n) {
    Shape shape = network.spec().input();
    org.tensorflow.ndarray.Shape tfShape =
        org.tensorflow.ndarray.Shape.of(n, shape.height(), shape.width(), shape.channels());
    try (TFloat32 x = TFloat32.tensorOf(tfShape, DataBuffers.of(nhwc, true, false));
        Result r = session.runner().feed(input, x).fetch(logits).fetch(probabilities).run()) {
      float[][] out = new float[2][];
      for (int i = 0; i < 2; i++) {
        TFloat32 t = (TFloat32) r.get(i);
        out[i] = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(out[i], false, false));
      }
      return out;
    }
  }

  /** Runs {@code work} under whatever guard the caller needs (a model's lock, or none). */
  public interface Guard {
    <T> T run(String doing, Supplier<T> work);
  }

  /**
   * The predicted class of every image of {@code data}: raw bytes in, classes out, {@link
   * #INFERENCE_BATCH} images per session call, two calls in flight ({@link TfLanes}).
   */
  public int[] predictedClasses(ImageDataset data, Guard guard) {
    int n = data.size();
    int size = (int) data.imageShape().size();
    int[] predicted = new int[n];
    ByteBuffer pixels = data.pixelBuffer();
    int chunks = (n + INFERENCE_BATCH - 1) / INFERENCE_BATCH;
    TfLanes.run(
        chunks,
        chunk -> {
          int from = chunk * INFERENCE_BATCH;
          int count = Math.min(INFERENCE_BATCH, n - from);
          // A byte array, not the read-only buffer itself: TensorFlow Java's data buffers copy an
          // array in bulk but a read-only buffer (which exposes no array) byte by byte, and the
          // first such buffer deoptimizes the JIT's compiled feeding of training batches
          // (docs/benchmarks.md, "Optimizations tried").
          byte[] bytes = new byte[count * size];
          pixels.get(from * size, bytes);
          guard.run(
              "evaluating",
              () -> {
                // Raw bytes in, the class out: the scaling and the argmax run in TensorFlow.
                try (TUint8 x =
                        TUint8.tensorOf(
                            org.tensorflow.ndarray.Shape.of(count, size),
                            DataBuffers.of(bytes, true, false));
                    Result r = session.runner().feed(rawInput, x).fetch(rawPredictions).run()) {
                  TInt64 classes = (TInt64) r.get(0);
                  for (int i = 0; i < count; i++) {
                    predicted[from + i] = (int) classes.getLong(i);
                  }
                }
                return null;
              });
        });
    return predicted;
  }

  /** Test-set classes during training, guarded by nothing but error translation. */
  public int[] predictedClasses(ImageDataset data) {
    return predictedClasses(data, TfErrors::translate);
  }

  /**
   * Exports the session as a SavedModel into {@code dir} (which must not exist): signature {@code
   * serving_default}, input {@code images}, outputs {@code logits} and {@code probabilities}.
   */
  public void exportSavedModel(Path dir) throws IOException {
    Signature signature =
        Signature.builder()
            .key(Signature.DEFAULT_KEY)
            .input("images", input)
            .output("logits", logits)
            .output("probabilities", probabilities)
            .build();
    SavedModelBundle.exporter(dir.toString())
        .withSession(session)
        .withSignature(signature)
        .export();
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
    graph.close();
  }
}
