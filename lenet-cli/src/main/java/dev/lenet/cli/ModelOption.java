package dev.lenet.cli;

import dev.lenet.api.internal.ModelMetadata;
import dev.lenet.tf.TfModel;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR}: a run directory or the model directory inside it. */
final class ModelOption {

  @Option(
      names = "--model",
      paramLabel = "DIR",
      required = true,
      description = "A run directory from 'lenet train', or the model directory inside it.")
  Path model;

  /** The model directory that {@code --model} names. */
  Path directory() {
    return modelDirectory(model);
  }

  /** {@code dir} itself, or its {@code model/} when {@code dir} is a run directory. */
  static Path modelDirectory(Path dir) {
    Path inner = dir.resolve("model");
    if (!Files.exists(dir.resolve(ModelMetadata.FILE))
        && Files.exists(inner.resolve(ModelMetadata.FILE))) {
      return inner;
    }
    return dir;
  }

  TfModel load() {
    return TfModel.load(directory());
  }
}
