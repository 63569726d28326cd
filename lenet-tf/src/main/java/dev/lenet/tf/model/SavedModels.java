package dev.lenet.tf.model;

import dev.lenet.api.Lenet;
import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.internal.ModelMetadata;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.ParameterInfo;
import dev.lenet.api.spec.SpecFormatException;
import dev.lenet.api.spec.SpecJson;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.layers.TfVariables;
import dev.lenet.tf.runtime.TfErrors;
import dev.lenet.tf.runtime.TfLayouts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The on-disk form of a model: {@code saved_model/} (a TensorFlow SavedModel holding the network
 * and every variable, running statistics included), {@code spec.json} and {@code model.json}.
 */
public final class SavedModels {

  static final String SAVED_MODEL = "saved_model";
  static final String SPEC = "spec.json";

  private SavedModels() {}

  /** A model directory's contents: enough to rebuild the model. */
  public record Loaded(ModelSpec spec, Map<String, float[]> weights, ModelMetadata metadata) {}

  /**
   * Writes a model directory. It appears whole or not at all: it is written beside its target and
   * renamed into place, replacing an older one.
   *
   * @param weights every tensor of the spec (API names and layouts)
   * @param data the data set it was trained on, or null if unknown
   */
  public static void save(
      ModelSpec spec,
      Map<String, float[]> weights,
      List<String> classNames,
      TrainingConfig config,
      List<EpochMetrics> history,
      DataIdentity data,
      Path dir)
      throws IOException {
    Path target = dir.toAbsolutePath();
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path staging =
        Files.createDirectory(
            parent.resolve(
                target.getFileName() + ".saving-" + Long.toHexString(System.nanoTime())));
    try {
      // A fresh serving-only graph, so that the export holds the network and nothing else.
      try (ModelGraph serving = ModelGraph.portable(spec, classNames.size())) {
        serving.startSession(0, 0);
        serving.network().variables().assign(serving.session(), weights);
        serving.exportSavedModel(staging.resolve(SAVED_MODEL));
      } catch (RuntimeException e) {
        throw TfErrors.translate("saving", e);
      }
      SpecJson.write(spec, staging.resolve(SPEC));
      new ModelMetadata(
              ModelMetadata.FORMAT, Lenet.VERSION, "tensorflow", classNames, config, history, data)
          .write(staging);
      replace(staging, target);
    } finally {
      deleteTree(staging);
    }
  }

  /** Moves {@code staging} to {@code target}; an older {@code target} is removed only after. */
  private static void replace(Path staging, Path target) throws IOException {
    Path old = null;
    if (Files.exists(target)) {
      old = target.resolveSibling(target.getFileName() + ".old-" + System.nanoTime());
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    if (old != null) {
      deleteTree(old);
    }
  }

  /**
   * Reads a model directory.
   *
   * @throws ModelFormatException naming the directory and what is wrong
   */
  public static Loaded load(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ModelFormatException(
          dir
              + ": "
              + (Files.exists(dir) ? "is not a directory" : "does not exist")
              + "; expected a lenet model directory (saved_model/, spec.json, model.json)");
    }
    ModelMetadata meta = ModelMetadata.read(dir);
    Path specFile = dir.resolve(SPEC);
    if (!Files.isRegularFile(specFile)) {
      throw new ModelFormatException(
          dir + ": missing " + SPEC + "; the model directory is incomplete");
    }
    ModelSpec spec;
    try {
      spec = SpecJson.read(specFile);
    } catch (SpecFormatException e) {
      throw new ModelFormatException(e.getMessage(), e);
    }
    Path saved = dir.resolve(SAVED_MODEL);
    if (!Files.isRegularFile(saved.resolve("saved_model.pb"))) {
      throw new ModelFormatException(
          dir + ": missing " + SAVED_MODEL + "/saved_model.pb; the model directory is incomplete");
    }
    Map<String, float[]> weights = readWeights(saved, spec);
    if (meta.classNames().size() != spec.classes()) {
      throw new ModelFormatException(
          dir
              + ": model.json names "
              + meta.classNames().size()
              + " classes but spec.json outputs "
              + spec.classes());
    }
    return new Loaded(spec, weights, meta);
  }

  /** Reads each parameter's variable from the SavedModel, checking it against the spec. */
  private static Map<String, float[]> readWeights(Path saved, ModelSpec spec) {
    Map<String, float[]> weights = new LinkedHashMap<>();
    SavedModelBundle bundle;
    try {
      bundle = SavedModelBundle.load(saved.toString(), "serve");
    } catch (RuntimeException e) {
      throw new ModelFormatException(
          saved + ": TensorFlow cannot load this SavedModel: " + firstLine(e.getMessage()), e);
    }
    try (bundle) {
      Session session = bundle.session();
      for (ParameterInfo p : ParameterInfo.of(spec)) {
        String op = TfVariables.opName(p.name());
        if (bundle.graph().operation(op) == null) {
          throw new ModelFormatException(
              saved
                  + ": holds no variable "
                  + op
                  + " for "
                  + p.name()
                  + "; spec.json does not match the saved weights");
        }
        try (Result r = session.runner().fetch(op).run()) {
          Tensor t = r.get(0);
          long[] want = TfLayouts.tfShape(p.shape());
          long[] have = t.shape().asArray();
          if (!(t instanceof TFloat32 f)) {
            throw new ModelFormatException(
                saved + ": variable " + op + " holds " + t.dataType() + ", expected float32");
          }
          if (!Arrays.equals(want, have)) {
            throw new ModelFormatException(
                saved
                    + ": variable "
                    + op
                    + " has shape "
                    + Arrays.toString(have)
                    + " but spec.json needs "
                    + Arrays.toString(want)
                    + " for "
                    + p.name()
                    + " (TensorFlow layout); spec.json does not match the saved weights");
          }
          float[] values = new float[p.size()];
          f.copyTo(DataBuffers.of(values, false, false));
          weights.put(p.name(), TfLayouts.toApi(values, p.shape()));
        }
      }
    } catch (RuntimeException e) {
      if (e instanceof ModelFormatException) {
        throw e;
      }
      throw new ModelFormatException(
          saved + ": cannot read the weights: " + firstLine(e.getMessage()), e);
    }
    return weights;
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "(no message)";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  public static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(SavedModels::delete);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static void delete(Path p) {
    try {
      Files.delete(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
