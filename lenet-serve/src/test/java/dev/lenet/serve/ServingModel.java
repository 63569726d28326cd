package dev.lenet.serve;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.nio.file.Path;

/** A LeNet trained for one epoch on synthetic data, saved for a server to load. */
final class ServingModel {

  private ServingModel() {}

  /** Trains and saves a model under {@code dir}; returns the model directory. */
  static Path save(Path dir) throws IOException {
    TrainingData data = FashionMnist.load(SyntheticData.write(dir.resolve("data"), 64, 16));
    Path modelDir = dir.resolve("model");
    TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(32).threads(1).build();
    try (TfModel model = new TfTrainer().train(LeNet.classic(), data, config)) {
      model.save(modelDir);
    }
    return modelDir;
  }

  /** A columnar predict body of {@code count} 28x28x1 images, every pixel {@code value}. */
  static String columnar(int count, double value) {
    StringBuilder row = new StringBuilder("[");
    for (int x = 0; x < 28; x++) {
      row.append(x == 0 ? "" : ",").append('[').append(value).append(']');
    }
    row.append(']');
    StringBuilder image = new StringBuilder("[");
    for (int y = 0; y < 28; y++) {
      image.append(y == 0 ? "" : ",").append(row);
    }
    image.append(']');
    StringBuilder body = new StringBuilder("{\"inputs\": [");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append(image);
    }
    return body.append("]}").toString();
  }

  /** A row-format predict body of {@code count} images, every pixel {@code value}. */
  static String rows(int count, double value) {
    String columnar = columnar(count, value);
    return "{\"instances\": " + columnar.substring("{\"inputs\": ".length());
  }
}
