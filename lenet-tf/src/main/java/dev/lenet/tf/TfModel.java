package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Evaluation;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntConsumer;
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
 * A network living in a TensorFlow session: the {@link TrainedModel} the TensorFlow backend
 * returns. It owns its {@link Graph} and {@link Session} and closes both in {@link #close()}.
 *
 * <p>{@code predict}, {@code evaluate} and {@code weights} may be called from several threads at
 * once (TensorFlow sessions are thread-safe); {@code close} waits for calls in flight and later
 * calls fail with {@link IllegalStateException}.
 */
public final class TfModel implements TrainedModel {

  /** Images per session call in {@link #predict} and {@link #evaluate}. */
  static final int INFERENCE_BATCH = 500;

  /** Session calls {@link #evaluate} keeps in flight at once. */
  static final int INFERENCE_LANES = 2;

  private final Graph graph;
  private final Session session;
  private final TfNetwork network;
  private final Placeholder<TFloat32> input;
  private final Operand<TFloat32> probabilities;
  private final List<String> classNames;
  private final Device device;
  private final List<EpochMetrics> history;
  private final TrainingConfig config;
  private final Operand<TFloat32> logits;
  private final Placeholder<TUint8> rawInput;
  private final Operand<TInt64> rawPredictions;
  private final Setup setup;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private TfModel(Builder b, List<EpochMetrics> history, TrainingConfig config) {
    this.graph = b.graph;
    this.session = b.session;
    this.network = b.network;
    this.input = b.input;
    this.probabilities = b.probabilities;
    this.classNames = List.copyOf(b.classNames);
    this.device = b.device;
    this.history = List.copyOf(history);
    this.config = config;
    this.logits = b.logits;
    this.rawInput = b.rawInput;
    this.rawPredictions = b.rawPredictions;
    this.setup = b.setup;
  }

  /**
   * How long training took to get ready, in seconds: building the graph, starting the session and
   * setting the initial weights, and the warm-up pass in which TensorFlow optimizes the graph and
   * creates its kernels (no weight changes). Zero for a model built from weights.
   */
  public record Setup(double graphSeconds, double sessionSeconds, double warmUpSeconds) {}

  /** Set-up times of the training run that made this model. */
  public Setup setup() {
    return setup;
  }

  /**
   * A model with the given weights (names and layouts of {@link dev.lenet.api.spec.ParameterInfo}),
   * ready to predict, on the CPU with TensorFlow's default threads.
   */
  public static TfModel fromWeights(
      ModelSpec spec, Map<String, float[]> weights, List<String> classNames) {
    return fromWeights(spec, weights, classNames, List.of(), null);
  }

  /** As {@link #fromWeights(ModelSpec, Map, List)}, keeping a training record. */
  static TfModel fromWeights(
      ModelSpec spec,
      Map<String, float[]> weights,
      List<String> classNames,
      List<EpochMetrics> history,
      TrainingConfig config) {
    Builder b = new Builder(spec, classNames, Device.CPU);
    try {
      b.startSession(0, 0);
      b.network.assign(b.session, weights);
      return b.build(history, config);
    } catch (RuntimeException e) {
      b.abandon();
      throw e;
    }
  }

  /**
   * Loads a model saved by {@link #save(Path)}: predictions are bit-identical to the saved model's.
   *
   * @throws dev.lenet.api.train.ModelFormatException naming the directory and what is wrong:
   *     missing files, a spec that does not match the weights, a newer format
   */
  public static TfModel load(Path dir) {
    return TfModelFiles.load(dir);
  }

  @Override
  public ModelSpec spec() {
    return network.spec();
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public List<EpochMetrics> history() {
    return history;
  }

  @Override
  public Device device() {
    return device;
  }

  @Override
  public List<Prediction> predict(float[] images, int count) {
    Shape shape = network.spec().input();
    long size = shape.size();
    if (count < 0 || images.length != count * size) {
      throw new IllegalArgumentException(
          "expected "
              + count
              + " images of "
              + shape
              + " = "
              + count * size
              + " floats, found "
              + images.length);
    }
    List<Prediction> out = new ArrayList<>(count);
    float[] probs = probabilities(images, count);
    int classes = classNames.size();
    for (int i = 0; i < count; i++) {
      out.add(Prediction.of(java.util.Arrays.copyOfRange(probs, i * classes, (i + 1) * classes)));
    }
    return out;
  }

  /** Class probabilities, {@code count x classes} row-major, for images in [0, 1], CHW order. */
  float[] probabilities(float[] images, int count) {
    Shape shape = network.spec().input();
    int size = (int) shape.size();
    int classes = classNames.size();
    float[] out = new float[count * classes];
    // Large requests are cut so that both lanes get work; a single image stays one call.
    int chunk =
        count < 2 * MIN_LANE_BATCH
            ? count
            : Math.min(INFERENCE_BATCH, (count + INFERENCE_LANES - 1) / INFERENCE_LANES);
    int chunks = count == 0 ? 0 : (count + chunk - 1) / chunk;
    inLanes(
        chunks,
        c -> {
          int start = c * chunk;
          int n = Math.min(chunk, count - start);
          float[] nhwc = TfImages.toNhwc(images, start * size, n, shape);
          float[] part = run(nhwc, n, shape);
          System.arraycopy(part, 0, out, start * classes, part.length);
        });
    return out;
  }

  /** Below twice this many images, {@link #predict} makes one call rather than two. */
  static final int MIN_LANE_BATCH = 64;

  /**
   * Runs {@code work} for chunks {@code 0 .. chunks-1}, {@link #INFERENCE_LANES} at a time: the
   * caller takes even chunks, a helper thread odd ones. Two session calls in flight keep both cores
   * busy between the ops that use only one.
   */
  static void inLanes(int chunks, IntConsumer work) {
    if (chunks <= 1) {
      if (chunks == 1) {
        work.accept(0);
      }
      return;
    }
    IntConsumer lane =
        first -> {
          for (int c = first; c < chunks; c += INFERENCE_LANES) {
            work.accept(c);
          }
        };
    RuntimeException[] failure = new RuntimeException[1];
    Thread helper =
        new Thread(
            () -> {
              try {
                lane.accept(1);
              } catch (RuntimeException e) {
                failure[0] = e;
              }
            },
            "lenet-inference");
    helper.setDaemon(true);
    helper.start();
    try {
      lane.accept(0);
    } finally {
      try {
        helper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during inference", e);
      }
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private float[] run(float[] nhwc, int n, Shape shape) {
    org.tensorflow.ndarray.Shape tfShape =
        org.tensorflow.ndarray.Shape.of(n, shape.height(), shape.width(), shape.channels());
    return withSession(
        "predicting",
        () -> {
          try (TFloat32 x = TFloat32.tensorOf(tfShape, DataBuffers.of(nhwc, true, false));
              Result r = session.runner().feed(input, x).fetch(probabilities).run()) {
            TFloat32 p = (TFloat32) r.get(0);
            float[] values = new float[(int) p.shape().size()];
            p.copyTo(DataBuffers.of(values, false, false));
            return values;
          }
        });
  }

  @Override
  public Evaluation evaluate(ImageDataset data) {
    requireFits(network.spec(), data);
    return Evaluation.of(classNames, labels(data), predictedClasses(session, data));
  }

  /**
   * @throws IllegalArgumentException naming both shapes if {@code data}'s images do not fit
   */
  static void requireFits(ModelSpec spec, ImageDataset data) {
    if (!data.imageShape().equals(spec.input())) {
      throw new IllegalArgumentException(
          "the model takes "
              + spec.input()
              + " images but "
              + data.name()
              + " holds "
              + data.imageShape());
    }
  }

  private static int[] labels(ImageDataset data) {
    int[] out = new int[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.label(i);
    }
    return out;
  }

  private int[] predictedClasses(Session session, ImageDataset data) {
    return predictedClasses(session, rawInput, rawPredictions, data, this::withSession);
  }

  /** Runs {@code work} under whatever guard the caller needs (the model's lock, or none). */
  interface Guard {
    <T> T run(String doing, java.util.function.Supplier<T> work);
  }

  /**
   * The predicted class of every image of {@code data}: raw bytes in, classes out, {@link
   * #INFERENCE_BATCH} images per session call. Used by evaluate() and, during training, for the
   * test accuracy.
   */
  static int[] predictedClasses(
      Session session,
      Placeholder<TUint8> rawInput,
      Operand<TInt64> rawPredictions,
      ImageDataset data,
      Guard guard) {
    int n = data.size();
    int size = (int) data.imageShape().size();
    int[] predicted = new int[n];
    java.nio.ByteBuffer pixels = data.pixelBuffer();
    int chunks = (n + INFERENCE_BATCH - 1) / INFERENCE_BATCH;
    inLanes(
        chunks,
        chunk -> {
          int from = chunk * INFERENCE_BATCH;
          int count = Math.min(INFERENCE_BATCH, n - from);
          java.nio.ByteBuffer slice = pixels.slice(from * size, count * size);
          guard.run(
              "evaluating",
              () -> {
                // Raw bytes in, the class out: the scaling and the argmax run in TensorFlow.
                try (TUint8 x =
                        TUint8.tensorOf(
                            org.tensorflow.ndarray.Shape.of(count, size), DataBuffers.of(slice));
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

  /** The current weights, by parameter name, in the API's (PyTorch) layouts. */
  public Map<String, float[]> weights() {
    return withSession("reading weights", () -> network.read(session));
  }

  /** How the model was trained, or null when it was built from weights. */
  public TrainingConfig config() {
    return config;
  }

  /**
   * Writes the model to {@code dir}: a TensorFlow SavedModel in {@code saved_model/} (signature
   * {@code serving_default}: input {@code images} float32 {@code [batch, H, W, C]} in [0, 1],
   * outputs {@code logits} and {@code probabilities}), the spec as {@code spec.json} and {@code
   * model.json} (class names, training config, metrics, library version). Only the network's
   * weights are exported, not the training data. The directory appears whole or not at all: it is
   * written beside its target and renamed into place, replacing an older one.
   */
  @Override
  public void save(Path dir) throws IOException {
    TfModelFiles.save(this, weights(), dir);
  }

  /** Exports this model's session as a SavedModel into {@code dir} (which must not exist). */
  void exportSavedModel(Path dir) throws IOException {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
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
    } catch (RuntimeException e) {
      throw TfErrors.translate("saving", e);
    } finally {
      lock.readLock().unlock();
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        session.close();
        graph.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs {@code work} on the open session, translating TensorFlow errors. */
  <T> T withSession(String doing, java.util.function.Supplier<T> work) {
    lock.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException("the model is closed");
      }
      return TfErrors.translate(doing, work);
    } finally {
      lock.readLock().unlock();
    }
  }

  static int argMax(float[] values, int from, int count) {
    int best = 0;
    for (int i = 1; i < count; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }

  /**
   * Assembles a model: a graph with the network and its serving path; training code may add more to
   * the graph before {@link #startSession}.
   */
  static final class Builder {
    final Graph graph = new Graph();
    final Ops tf;
    final TfNetwork network;
    final Placeholder<TFloat32> input;
    final Operand<TFloat32> logits;
    final Operand<TFloat32> probabilities;
    final Placeholder<TUint8> rawInput;
    final Operand<TInt64> rawPredictions;
    final List<String> classNames;
    final Device device;
    Session session;
    Setup setup = new Setup(0, 0, 0);

    Builder(ModelSpec spec, List<String> classNames, Device device) {
      if (classNames.size() != spec.classes()) {
        graph.close();
        throw new IllegalArgumentException(
            "the data has "
                + classNames.size()
                + " classes but the model's last layer outputs "
                + spec.classes());
      }
      this.classNames = classNames;
      this.device = device;
      try {
        this.tf = Ops.create(graph).withDevice(TfDevices.spec(device));
        this.network = TfNetwork.create(tf, spec);
        Shape in = spec.input();
        this.input =
            tf.withName("images")
                .placeholder(
                    TFloat32.class,
                    Placeholder.shape(
                        org.tensorflow.ndarray.Shape.of(
                            -1, in.height(), in.width(), in.channels())));
        this.logits = tf.withName("logits").identity(network.logits(tf, input));
        this.probabilities = tf.withName("probabilities").nn.softmax(logits);
        // For evaluate(): data set bytes [batch, C*H*W] in, predicted classes out.
        this.rawInput =
            tf.withName("raw_images")
                .placeholder(
                    TUint8.class,
                    Placeholder.shape(org.tensorflow.ndarray.Shape.of(-1, in.size())));
        Operand<TFloat32> nhwc = TfImages.fromBytes(tf, rawInput, in);
        this.rawPredictions = tf.math.argMax(network.logits(tf, nhwc), tf.constant(1));
      } catch (RuntimeException e) {
        graph.close();
        throw e;
      }
    }

    /** Test-set classes during training, before the model exists. */
    int[] predictedClasses(ImageDataset data) {
      return TfModel.predictedClasses(session, rawInput, rawPredictions, data, TfErrors::translate);
    }

    void startSession(int intraOpThreads, int interOpThreads) {
      session = new Session(graph, TfDevices.config(intraOpThreads, interOpThreads));
    }

    TfModel build(List<EpochMetrics> history, TrainingConfig config) {
      return new TfModel(this, history, config);
    }

    /** Closes what was built when no model will own it. */
    void abandon() {
      if (session != null) {
        session.close();
      }
      graph.close();
    }
  }
}
