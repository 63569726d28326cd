package dev.lenet.spark;

import dev.lenet.tf.TfModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The saved models of one JVM (an executor, or the driver in local mode), loaded at most once per
 * model path on first use and shared by all tasks; closed when the JVM shuts down. A model in a
 * TensorFlow session may be used from several threads at once, so concurrent tasks share it.
 */
final class ModelCache {

  private static final Map<String, TfModel> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, AtomicInteger> LOADS = new ConcurrentHashMap<>();
  private static final Object HOOK_LOCK = new Object();
  private static boolean hookAdded;

  private ModelCache() {}

  /** The model saved in {@code path}, loaded by the first caller in this JVM. */
  static TfModel get(String path) {
    return MODELS.computeIfAbsent(path, ModelCache::load);
  }

  /** How many times this JVM has loaded the model in {@code path}: 1 once it has been used. */
  static int loads(String path) {
    AtomicInteger n = LOADS.get(path);
    return n == null ? 0 : n.get();
  }

  private static TfModel load(String path) {
    addShutdownHook();
    TfModel model = TfModel.load(Path.of(path));
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
  }
}
