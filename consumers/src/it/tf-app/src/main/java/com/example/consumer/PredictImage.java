package com.example.consumer;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.tf.TfModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Step 2 of the lenet-tf consumer, in a new JVM: loads the model step 1 saved and predicts its PNG
 * through lenet-api's {@link ImageReader}; the class and the probabilities must be step 1's.
 */
public final class PredictImage {

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args[0]);
    Path png = work.resolve("class-" + TrainAndSave.CLASS + ".png");
    String[] expected = Files.readString(work.resolve("expected.txt")).split(" ");
    try (TrainedModel model = TfModel.load(work.resolve("model"))) {
      float[] pixels = ImageReader.standard().read(png, model.spec().input());
      Prediction p = model.predict(pixels);
      int best = p.predictedClass();
      System.out.printf(
          "%s: %s (class %d) %.3f%n",
          png.getFileName(), model.classNames().get(best), best, p.probabilities().get(best));
      TrainAndSave.check(best == TrainAndSave.CLASS, "predicted class " + best);
      TrainAndSave.check(
          expected.length == p.probabilities().size(), expected.length + " expected probabilities");
      for (int c = 0; c < expected.length; c++) {
        float before = Float.parseFloat(expected[c]);
        float after = p.probabilities().get(c);
        TrainAndSave.check(
            Math.abs(before - after) <= 1e-5f,
            "class " + c + ": probability " + after + " after loading, " + before + " before");
      }
    }
  }
}
