package com.example.consumer;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainedModel;
import dev.lenet.api.train.Trainer;
import dev.lenet.api.train.Trainers;
import dev.lenet.api.train.TrainingConfig;
import java.util.List;

/**
 * The lenet-api-only consumer. {@code FindTrainer present}: {@link Trainers#find()} must return
 * the TensorFlow backend, which trains and predicts. {@code FindTrainer absent}: with no backend on
 * the class path it must fail with the message its Javadoc promises, naming lenet-tf.
 */
public final class FindTrainer {

  static final String NOT_FOUND =
      "no lenet training backend found: looked for implementations of"
          + " dev.lenet.api.train.Trainer registered in META-INF/services on the class path;"
          + " add the Maven dependency dev.lenet:lenet-tf"
          + " (or create the backend directly, e.g. new dev.lenet.tf.TfTrainer())";

  public static void main(String[] args) {
    switch (args[0]) {
      case "present" -> present();
      case "absent" -> absent();
      default -> throw new IllegalArgumentException("present or absent, found " + args[0]);
    }
  }

  private static void present() {
    Trainer trainer = Trainers.find();
    check("tensorflow".equals(trainer.name()), "found the backend " + trainer.name());
    // Two classes of 4x4 images: left half or right half lit.
    int n = 64;
    byte[] pixels = new byte[n * 16];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 2);
      for (int p = 0; p < 16; p++) {
        pixels[i * 16 + p] = (byte) ((p % 4 < 2) == (i % 2 == 0) ? 255 : 0);
      }
    }
    List<String> names = List.of("left", "right");
    ImageDataset set = new ImageDataset("halves", Shape.of(1, 4, 4), pixels, labels, names);
    ModelSpec spec = ModelSpec.builder().input(1, 4, 4).flatten().dense(2).build();
    TrainingConfig config = TrainingConfig.builder().epochs(5).batchSize(16).threads(1).build();
    try (TrainedModel model = trainer.train(spec, new TrainingData(set, set), config)) {
      float[] left = new float[16];
      for (int p = 0; p < 16; p++) {
        left[p] = p % 4 < 2 ? 1 : 0;
      }
      Prediction p = model.predict(left);
      System.out.println(trainer.name() + ": " + names.get(p.predictedClass()) + " " + p);
      check(p.predictedClass() == 0, "a left image predicted as " + p.predictedClass());
    }
  }

  private static void absent() {
    try {
      Class.forName("dev.lenet.tf.TfTrainer");
      throw new AssertionError("lenet-tf is on the class path of the run without the backend");
    } catch (ClassNotFoundException expected) {
      // the point of this run
    }
    try {
      Trainer trainer = Trainers.find();
      throw new AssertionError("found a backend without one: " + trainer.name());
    } catch (IllegalStateException e) {
      System.out.println("as documented: " + e.getMessage());
      check(NOT_FOUND.equals(e.getMessage()), "message: " + e.getMessage());
    }
  }

  private static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
