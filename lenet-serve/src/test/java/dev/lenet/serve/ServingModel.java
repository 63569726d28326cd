package dev.lenet.serve;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTrainer;
import java.io.IOException;
import java.nio.file.Path;

/** A LeNet trained for one epoch on synthetic data, saved for a server to load. */
final class ServingModel {

  private ServingModel() {}

  /** Trains and saves a model under {@code dir} (data in dir/data); returns dir/model. */
  static Path save(Path dir) throws IOException {
    return save(dir.resolve("data"), dir.resolve("model"));
  }

  /** The book's LeNet as {@link #save(ModelSpec, Path, Path)} trains it. */
  static Path save(Path dataDir, Path modelDir) throws IOException {
    return save(LeNet.classic(), dataDir, modelDir);
  }

  /**
   * Trains {@code spec} for one epoch on synthetic data written to {@code dataDir}, saves it to
   * {@code modelDir} and returns that.
   */
  static Path save(ModelSpec spec, Path dataDir, Path modelDir) throws IOException {
    TrainingData data = FashionMnist.load(SyntheticData.write(dataDir, 64, 16));
    TrainingConfig config = TrainingConfig.builder().epochs(1).batchSize(32).threads(1).build();
    try (TfModel model = new TfTrainer().train(spec, data, config)) {
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
