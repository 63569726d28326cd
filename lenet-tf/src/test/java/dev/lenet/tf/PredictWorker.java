package dev.lenet.tf;

import dev.lenet.api.train.Prediction;
import java.nio.file.Path;
import java.util.List;

/** Loads a saved model in a fresh JVM and prints the bits of its probabilities for test images. */
public final class PredictWorker {

  private PredictWorker() {}

  static float[] images() {
    float[] images = new float[20 * 144];
    System.arraycopy(
        TrainingTest.QUADRANTS.test().batches(20).inOrder().iterator().next().images(),
        0,
        images,
        0,
        images.length);
    return images;
  }

  static String bits(List<Prediction> predictions) {
    StringBuilder s = new StringBuilder();
    for (Prediction p : predictions) {
      for (float f : p.probabilities()) {
        s.append(Integer.toHexString(Float.floatToRawIntBits(f))).append(' ');
      }
      s.append('\n');
    }
    return s.toString();
  }

  public static void main(String[] args) {
    try (TfModel model = TfModel.load(Path.of(args[0]))) {
      System.out.print("BITS\n" + bits(model.predict(images(), 20)));
    }
  }
}
