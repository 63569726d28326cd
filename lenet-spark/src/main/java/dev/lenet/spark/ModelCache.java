package dev.lenet.spark;

import dev.lenet.api.train.ModelFormatException;
import dev.lenet.tf.TfModel;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The saved models of one JVM (an executor, or the driver in local mode), loaded at most once per
 * model path on first use and shared by all tasks; closed when the JVM shuts down. A model in a
 * TensorFlow session may be used from several threads at once, so concurrent tasks share it.
 *
 * <p>A model path with a URI scheme ({@code hdfs://}, {@code s3a://}, {@code file:}, ...) is first
 * copied through Hadoop's {@code FileSystem} into a local temporary directory ({@link ModelCopy}),
 * once per JVM and URI; the copy is deleted at shutdown, after the models are closed.
 */
final class ModelCache {

  private static final Map<String, TfModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> COPY_COUNTS = new ConcurrentHashMap<>();
  private static final Object HOOK_LOCK = new Object();
  private static boolean hookAdded;

  private ModelCache() {}

  /**
   * The model saved in {@code path} (a local directory or a URI), loaded by the first caller in
   * this JVM.
   *
   * @throws ModelFormatException naming {@code path} if the model cannot be read or loaded
   */
  static TfModel get(String path) {
    return MODELS.computeIfAbsent(path, ModelCache::load);
  }

  /** How many times this JVM has loaded the model in {@code path}: 1 once it has been used. */
  static int loads(String path) {
    AtomicInteger n = LOADS.get(path);
    return n == null ? 0 : n.get();
  }

  /** How many times this JVM has copied the model at URI {@code path} to a local directory. */
  static int copies(String path) {
    AtomicInteger n = COPY_COUNTS.get(path);
    return n == null ? 0 : n.get();
  }

  private static TfModel load(String path) {
    addShutdownHook();
    Optional<URI> uri = ModelCopy.uri(path);
    TfModel model;
    if (uri.isEmpty()) {
      model = TfModel.load(Path.of(path));
    } else {
      Path copy = ModelCopy.toLocal(uri.get());
      COPY_COUNTS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
      try {
        model = TfModel.load(copy.resolve(ModelCopy.MODEL));
      } catch (RuntimeException e) {
        ModelCopy.delete(copy);
        throw new ModelFormatException(
            "model directory " + path + " (copied to " + copy + "): " + e.getMessage(), e);
      }
      COPIES.put(path, copy);
    }
    LOADS.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    return model;
  }

  private static void addShutdownHook() {
    synchronized (HOOK_LOCK) {
      if (!hookAdded) {
        Runtime.getRuntime()
            .addShutdownHook(new Thread(ModelCache::closeAll, "lenet-spark-model-cache"));
        hookAdded = true;
      }
    }
  }

  private static void closeAll() {
    for (TfModel model : MODELS.values()) {
      model.close();
    }
    MODELS.clear();
    for (Path copy : COPIES.values()) {
      ModelCopy.delete(copy);
    }
    COPIES.clear();
  }
}
