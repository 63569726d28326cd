package dev.lenet.cli;

import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code lenet predict}: the top classes for image files. */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Classify PNG or JPEG images with a trained model.",
      "Images may be grayscale or colour and any size: each is converted and resized to the"
          + " model's input as the data set's images are, then the top classes are printed with"
          + " their probabilities. Fashion-MNIST shows light objects on a black background."
    })
final class PredictCommand implements Callable<Integer> {

  @Spec CommandSpec command;

  @Mixin ModelOption model = new ModelOption();

  @Option(
      names = "--top",
      paramLabel = "K",
      defaultValue = "3",
      description = "Classes to show per image (default: ${DEFAULT-VALUE}).")
  int top;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Image files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter print = command.commandLine().getOut();
    if (top < 1) {
      throw new UserError("--top must be at least 1, found " + top);
    }
    try (TfModel trained = model.load()) {
      List<float[]> images = new ArrayList<>();
      for (Path file : files) {
        images.add(ImageFiles.read(file, trained.spec().input()));
      }
      int size = (int) trained.spec().input().size();
      float[] batch = new float[images.size() * size];
      for (int i = 0; i < images.size(); i++) {
        System.arraycopy(images.get(i), 0, batch, i * size, size);
      }
      List<Prediction> predictions = trained.predict(batch, images.size());
      for (int i = 0; i < files.size(); i++) {
        Prediction p = predictions.get(i);
        List<String> parts = new ArrayList<>();
        for (int c : p.topClasses(top)) {
          parts.add(
              String.format(
                  Locale.ROOT, "%s %.3f", trained.classNames().get(c), p.probabilities().get(c)));
        }
        print.println(files.get(i) + ": " + String.join(", ", parts));
      }
    }
    return 0;
  }
}
