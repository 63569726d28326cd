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
    Path inner = model.resolve("model");
    if (!Files.exists(model.resolve(ModelMetadata.FILE))
        && Files.exists(inner.resolve(ModelMetadata.FILE))) {
      return inner;
    }
    return model;
  }

  TfModel load() {
    return TfModel.load(directory());
  }
}
