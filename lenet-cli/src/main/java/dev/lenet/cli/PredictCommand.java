package dev.lenet.cli;

import dev.lenet.api.image.ImageException;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.image.ImageTooLargeException;
import dev.lenet.api.spec.Shape;
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
      "Classify images (PNG, JPEG, GIF, BMP, TIFF) with a trained model.",
      "Images may be gray or colour, 8 or 16 bits, with a palette or transparency, and any"
          + " size: each is read from its stored pixel values, turned gray by luma (or kept RGB"
          + " for a colour model), composited onto black where transparent, resized to the"
          + " model's input by area averaging and scaled to [0, 1] as training scales the data"
          + " set's bytes; then the top classes are printed with their probabilities."
          + " Fashion-MNIST shows light objects on a black background."
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

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      defaultValue = "" + ImageReader.DEFAULT_MAX_PIXELS,
      description =
          "Refuse images whose header declares more pixels (width x height), before decoding"
              + " them (default: ${DEFAULT-VALUE}).")
  long maxPixels;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Image files.")
  List<Path> files;

  @Override
  public Integer call() {
    PrintWriter print = command.commandLine().getOut();
    if (top < 1) {
      throw new UserError("--top must be at least 1, found " + top);
    }
    if (maxPixels < 1 || maxPixels > Integer.MAX_VALUE) {
      throw new UserError(
          "--max-pixels must be between 1 and " + Integer.MAX_VALUE + ", found " + maxPixels);
    }
    ImageReader reader = ImageReader.builder().maxPixels(maxPixels).build();
    PrintWriter err = command.commandLine().getErr();
    try (TfModel trained = model.load()) {
      Shape input = trained.spec().input();
      int size = (int) input.size();
      // A bad image is reported and skipped, so that the good ones still get their line.
      List<Path> good = new ArrayList<>();
      float[] batch = new float[files.size() * size];
      for (Path file : files) {
        try {
          System.arraycopy(read(reader, file, input), 0, batch, good.size() * size, size);
          good.add(file);
        } catch (ImageException | UserError e) {
          err.println("lenet: " + e.getMessage());
          if (((Lenet) command.root().userObject()).verbose) {
            e.printStackTrace(err);
          }
        }
      }
      if (!good.isEmpty()) {
        List<Prediction> predictions =
            trained.predict(java.util.Arrays.copyOf(batch, good.size() * size), good.size());
        for (int i = 0; i < good.size(); i++) {
          print.println(good.get(i) + ": " + topClasses(trained, predictions.get(i)));
        }
      }
      return good.size() == files.size() ? 0 : Lenet.USER_ERROR;
    }
  }

  private String topClasses(TfModel trained, Prediction p) {
    List<String> parts = new ArrayList<>();
    for (int c : p.topClasses(top)) {
      parts.add(
          String.format(
              Locale.ROOT, "%s %.3f", trained.classNames().get(c), p.probabilities().get(c)));
    }
    return String.join(", ", parts);
  }

  /** The image in {@code file}, or an exception whose message starts with the file. */
  private static float[] read(ImageReader reader, Path file, Shape input) {
    try {
      return reader.read(file, input);
    } catch (ImageTooLargeException e) {
      throw new UserError(
          String.format(
              Locale.ROOT,
              "%s: the image declares %dx%d pixels (%,d), more than --max-pixels %,d; scale it"
                  + " down first, or raise --max-pixels if the file is trusted",
              e.name(),
              e.width(),
              e.height(),
              (long) e.width() * e.height(),
              e.limit()),
          e);
    } catch (ImageException e) {
      if (outOfMemory(e)) {
        throw new UserError(e.getMessage() + "; " + outOfMemoryAdvice(reader.maxPixels()), e);
      }
      throw e;
    }
  }

  /** What to do when an image does not fit in the heap. */
  static String outOfMemoryAdvice(long maxPixels) {
    return String.format(
        Locale.ROOT,
        "lower --max-pixels (now %,d) to refuse images this large, or give Java more heap, e.g."
            + " LENET_JAVA_OPTS=-Xmx4g",
        maxPixels);
  }

  static boolean outOfMemory(Throwable e) {
    java.util.Set<Throwable> seen =
        java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        return true;
      }
    }
    return false;
  }
}
