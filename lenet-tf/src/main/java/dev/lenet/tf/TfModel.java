package dev.lenet.tf;

import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Evaluation;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.model.ModelGraph;
import dev.lenet.tf.model.SavedModels;
import dev.lenet.tf.model.TfLanes;
import dev.lenet.tf.runtime.TfErrors;
import dev.lenet.tf.runtime.TfImages;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * A network living in a TensorFlow session: the {@link TrainedModel} the TensorFlow backend
 * returns. It owns its graph and session and closes both in {@link #close()}.
 *
 * <p>{@code predict}, {@code evaluate} and {@code weights} may be called from several threads at
 * once (TensorFlow sessions are thread-safe); {@code close} waits for calls in flight and later
 * calls fail with {@link IllegalStateException}.
 */
public final class TfModel implements TrainedModel {

  /** Images per session call in {@link #predict}. */
  static final int INFERENCE_BATCH = ModelGraph.INFERENCE_BATCH;

  /** Below twice this many images, {@link #predict} makes one call rather than two. */
  static final int MIN_LANE_BATCH = 64;

  private final ModelGraph graph;
  private final List<String> classNames;
  private final List<EpochMetrics> history;
  private final TrainingConfig config;
  private final DataIdentity trainedOn;
  private final ExecutionPlan plan;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  TfModel(
      ModelGraph graph,
      List<String> classNames,
      List<EpochMetrics> history,
      TrainingConfig config,
      DataIdentity trainedOn,
      ExecutionPlan plan) {
    this.graph = graph;
    this.classNames = List.copyOf(classNames);
    this.history = List.copyOf(history);
    this.config = config;
    this.trainedOn = trainedOn;
    this.plan = plan;
  }

  /**
   * A model with the given weights and state (names and layouts of {@link
   * dev.lenet.api.spec.ParameterInfo}), ready to predict, on the CPU with TensorFlow's default
   * threads.
   */
  public static TfModel fromWeights(
      ModelSpec spec, Map<String, float[]> weights, List<String> classNames) {
    return fromWeights(spec, weights, classNames, TfOptions.defaults());
  }

  /** As {@link #fromWeights(ModelSpec, Map, List)}, executing as {@code options} say. */
  public static TfModel fromWeights(
      ModelSpec spec, Map<String, float[]> weights, List<String> classNames, TfOptions options) {
    return fromWeights(spec, weights, classNames, List.of(), null, null, options);
  }

  private static TfModel fromWeights(
      ModelSpec spec,
      Map<String, float[]> weights,
      List<String> classNames,
      List<EpochMetrics> history,
      TrainingConfig config,
      DataIdentity trainedOn,
      TfOptions options) {
    ModelGraph g = new ModelGraph(spec, classNames.size(), Device.CPU, options.convolutionStages());
    try {
      g.startSession(0, 0);
      g.network().variables().assign(g.session(), weights);
      ExecutionPlan plan =
          new ExecutionPlan(Device.CPU, 1, 0, 0, g.network().fastPaths(), ExecutionPlan.Setup.NONE);
      return new TfModel(g, classNames, history, config, trainedOn, plan);
    } catch (RuntimeException e) {
      g.close();
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
    return load(dir, TfOptions.defaults());
  }

  /** As {@link #load(Path)}, executing as {@code options} say. */
  public static TfModel load(Path dir, TfOptions options) {
    SavedModels.Loaded m = SavedModels.load(dir);
    return fromWeights(
        m.spec(),
        m.weights(),
        m.metadata().classNames(),
        m.metadata().history(),
        m.metadata().config(),
        m.metadata().data(),
        options);
  }

  @Override
  public ModelSpec spec() {
    return graph.network().spec();
  }

  @Override
  public List<String> classNames() {
    return classNames;
  }

  @Override
  public Optional<DataIdentity> trainedOn() {
    return Optional.ofNullable(trainedOn);
  }

  @Override
  public List<EpochMetrics> history() {
    return history;
  }

  @Override
  public Device device() {
    return plan.device();
  }

  /** How the model runs: device, towers and threads of its training, fast paths, set-up times. */
  public ExecutionPlan plan() {
    return plan;
  }

  /** How the model was trained, or null when it was built from weights. */
  public TrainingConfig config() {
    return config;
  }

  @Override
  public List<Prediction> predict(float[] images, int count) {
    Shape shape = spec().input();
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
      out.add(Prediction.of(Arrays.copyOfRange(probs, i * classes, (i + 1) * classes)));
    }
    return out;
  }

  /** Class probabilities, {@code count x classes} row-major, for images in [0, 1], CHW order. */
  float[] probabilities(float[] images, int count) {
    Shape shape = spec().input();
    int size = (int) shape.size();
    int classes = classNames.size();
    float[] out = new float[count * classes];
    // Large requests are cut so that both lanes get work; a single image stays one call.
    int chunk =
        count < 2 * MIN_LANE_BATCH
            ? count
            : Math.min(INFERENCE_BATCH, (count + TfLanes.LANES - 1) / TfLanes.LANES);
    int chunks = count == 0 ? 0 : (count + chunk - 1) / chunk;
    TfLanes.run(
        chunks,
        c -> {
          int start = c * chunk;
          int n = Math.min(chunk, count - start);
          float[] nhwc = TfImages.toNhwc(images, start * size, n, shape);
          float[] part = withSession("predicting", () -> graph.probabilities(nhwc, n));
          System.arraycopy(part, 0, out, start * classes, part.length);
        });
    return out;
  }

  /**
   * The outputs of the exported serving signature for a batch: logits and probabilities, each
   * {@code count x classes} row-major.
   */
  public static final class SignatureOutputs {
    private final int count;
    private final int classes;
    private final float[] logits;
    private final float[] probabilities;

    /**
     * Outputs as given (not copied), for code that stands in for a model, such as tests of a
     * server's batching.
     *
     * @throws IllegalArgumentException if an array is not {@code count * classes} long
     */
    public SignatureOutputs(int count, int classes, float[] logits, float[] probabilities) {
      if (logits.length != (long) count * classes || probabilities.length != logits.length) {
        throw new IllegalArgumentException(
            "expected "
                + count
                + " x "
                + classes
                + " logits and probabilities, found "
                + logits.length
                + " and "
                + probabilities.length);
      }
      this.count = count;
      this.classes = classes;
      this.logits = logits;
      this.probabilities = probabilities;
    }

    /** Images in the batch. */
    public int count() {
      return count;
    }

    /** Classes per image. */
    public int classes() {
      return classes;
    }

    /** Image {@code i}'s logits. */
    public float[] logits(int i) {
      return Arrays.copyOfRange(logits, i * classes, (i + 1) * classes);
    }

    /** Image {@code i}'s class probabilities (softmax of its logits). */
    public float[] probabilities(int i) {
      return Arrays.copyOfRange(probabilities, i * classes, (i + 1) * classes);
    }
  }

  /**
   * Runs the serving signature ({@code serving_default}, as {@link #save} exports it) on images in
   * its layout: {@code count x H x W x C} floats (NHWC), pixels in [0, 1]. Thread-safe, as {@link
   * #predict}; large batches are run in parts of at most {@value #INFERENCE_BATCH} images.
   *
   * @throws IllegalArgumentException if {@code nhwc} does not hold {@code count} images
   */
  public SignatureOutputs signature(float[] nhwc, int count) {
    Shape shape = spec().input();
    int size = (int) shape.size();
    if (count < 0 || nhwc.length != (long) count * size) {
      throw new IllegalArgumentException(
          "expected " + count + " images of " + size + " floats, found " + nhwc.length);
    }
    int classes = classNames.size();
    float[] logits = new float[count * classes];
    float[] probs = new float[count * classes];
    for (int start = 0; start < count; start += INFERENCE_BATCH) {
      int n = Math.min(INFERENCE_BATCH, count - start);
      float[] part = Arrays.copyOfRange(nhwc, start * size, (start + n) * size);
      float[][] out = withSession("predicting", () -> graph.logitsAndProbabilities(part, n));
      System.arraycopy(out[0], 0, logits, start * classes, out[0].length);
      System.arraycopy(out[1], 0, probs, start * classes, out[1].length);
    }
    return new SignatureOutputs(count, classes, logits, probs);
  }

  @Override
  public Evaluation evaluate(ImageDataset data) {
    requireFits(spec(), data);
    if (data.classes() != classNames.size()) {
      throw new IllegalArgumentException(
          "the model tells "
              + classNames.size()
              + " classes apart but "
              + data.name()
              + " has "
              + data.classes()
              + " ("
              + String.join(", ", data.classNames())
              + ")");
    }
    int[] labels = new int[data.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = data.label(i);
    }
    return Evaluation.of(classNames, labels, graph.predictedClasses(data, this::withSession));
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

  /**
   * The current weights and state (running statistics), by name, in the API's (PyTorch) layouts.
   */
  public Map<String, float[]> weights() {
    return withSession("reading weights", () -> graph.network().variables().read(graph.session()));
  }

  /**
   * Writes the model to {@code dir}: a TensorFlow SavedModel in {@code saved_model/} (signature
   * {@code serving_default}: input {@code images} float32 {@code [batch, H, W, C]} in [0, 1],
   * outputs {@code logits} and {@code probabilities}), the spec as {@code spec.json} and {@code
   * model.json} (class names, training config, metrics, library version, and the data set trained
   * on: its known name and file checksums). Only the network's weights and state are exported, not
   * the training data. The directory appears whole or not at all: it is written beside its target
   * and renamed into place, replacing an older one.
   */
  @Override
  public void save(Path dir) throws IOException {
    SavedModels.save(spec(), weights(), classNames, config, history, trainedOn, dir);
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        graph.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Runs {@code work} on the open session, translating TensorFlow errors. */
  private <T> T withSession(String doing, Supplier<T> work) {
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
}
