package dev.lenet.examples;

import dev.lenet.api.data.IdxArray;
import dev.lenet.api.data.IdxReader;
import dev.lenet.api.data.Pixels;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.tf.TfModel;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Load a saved model and classify images in your own application: {@code ClassifyImages MODEL_DIR
 * FILE...} prints each image's most probable class and its probability. A FILE is an image (PNG,
 * JPEG, GIF, BMP or TIFF, gray or colour, any size; Fashion-MNIST style is a light object on
 * black), read by the library's {@link ImageReader} exactly as {@code lenet predict} reads it, or
 * an IDX file of images (a name ending in {@code -ubyte} or {@code -ubyte.gz}, for example {@code
 * t10k-images-idx3-ubyte.gz}), whose first 10 are used.
 */
public final class ClassifyImages {

  private ClassifyImages() {}

  public static void main(String[] args) {
    ImageReader images = ImageReader.standard(); // refuses images over 25 megapixels
    try (TrainedModel model = TfModel.load(Path.of(args[0]))) {
      Shape input = model.spec().input(); // (channels, height, width): (1, 28, 28) for LeNet
      for (int a = 1; a < args.length; a++) {
        Path file = Path.of(args[a]);
        boolean idx = args[a].endsWith("-ubyte") || args[a].endsWith("-ubyte.gz");
        float[] pixels = idx ? readIdx(file, input, 10) : images.read(file, input);
        List<Prediction> predictions = model.predict(pixels, pixels.length / (int) input.size());
        for (int i = 0; i < predictions.size(); i++) {
          int best = predictions.get(i).predictedClass();
          String name = idx ? args[a] + "[" + i + "]" : args[a];
          String label = model.classNames().get(best);
          float probability = predictions.get(i).probabilities().get(best);
          System.out.printf(Locale.ROOT, "%s: %s %.3f%n", name, label, probability);
        }
      }
    }
  }

  /**
   * The first {@code n} images of an IDX file (plain or gzipped), scaled as training scales them.
   */
  static float[] readIdx(Path file, Shape input, int n) {
    IdxArray idx = IdxReader.read(file);
    List<Integer> dims = idx.dims(); // (count, height, width)
    if (dims.size() != 3 || !List.of(1, dims.get(1), dims.get(2)).equals(input.dims())) {
      throw new IllegalArgumentException(file + ": not images of size " + input);
    }
    float[] pixels = new float[(int) input.size() * Math.min(n, dims.get(0))];
    Pixels.toUnit(idx.buffer(), 0, pixels, 0, pixels.length);
    return pixels;
  }
}
