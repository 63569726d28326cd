package dev.lenet.examples;

import dev.lenet.api.data.IdxArray;
import dev.lenet.api.data.IdxReader;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.tf.TfModel;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Load a saved model and classify images in your own application: {@code ClassifyImages MODEL_DIR
 * FILE...} prints each image's most probable class and its probability. A FILE is an 8-bit
 * grayscale PNG of the model's input size (Fashion-MNIST style: a light object on black) or an IDX
 * file of such images (for example {@code t10k-images-idx3-ubyte.gz}), whose first 10 are used.
 */
public final class ClassifyImages {

  private ClassifyImages() {}

  public static void main(String[] args) throws IOException {
    try (TrainedModel model = TfModel.load(Path.of(args[0]))) {
      Shape input = model.spec().input(); // (channels, height, width): (1, 28, 28) for LeNet
      for (int a = 1; a < args.length; a++) {
        Path file = Path.of(args[a]);
        boolean png = args[a].endsWith(".png");
        float[] pixels = png ? readPng(file, input) : readIdx(file, input, 10);
        List<Prediction> predictions = model.predict(pixels, pixels.length / (int) input.size());
        for (int i = 0; i < predictions.size(); i++) {
          int best = predictions.get(i).predictedClass();
          String name = png ? args[a] : args[a] + "[" + i + "]";
          String label = model.classNames().get(best);
          float probability = predictions.get(i).probabilities().get(best);
          System.out.printf(Locale.ROOT, "%s: %s %.3f%n", name, label, probability);
        }
      }
    }
  }

  /** The PNG's own pixel values (0-255, no colour conversion) scaled to [0, 1]. */
  static float[] readPng(Path file, Shape input) throws IOException {
    BufferedImage image = ImageIO.read(file.toFile());
    if (image == null
        || image.getType() != BufferedImage.TYPE_BYTE_GRAY
        || !List.of(1, image.getHeight(), image.getWidth()).equals(input.dims())) {
      throw new IllegalArgumentException(file + ": not an 8-bit grayscale PNG of size " + input);
    }
    float[] pixels =
        image.getRaster().getPixels(0, 0, input.width(), input.height(), (float[]) null);
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] /= 255f;
    }
    return pixels;
  }

  /** The first {@code n} images of an IDX file (plain or gzipped) scaled to [0, 1]. */
  static float[] readIdx(Path file, Shape input, int n) {
    IdxArray idx = IdxReader.read(file);
    List<Integer> dims = idx.dims(); // (count, height, width)
    if (dims.size() != 3 || !List.of(1, dims.get(1), dims.get(2)).equals(input.dims())) {
      throw new IllegalArgumentException(file + ": not images of size " + input);
    }
    ByteBuffer bytes = idx.buffer();
    float[] pixels = new float[(int) input.size() * Math.min(n, dims.get(0))];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (bytes.get(i) & 0xFF) / 255f;
    }
    return pixels;
  }
}
