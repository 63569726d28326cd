package dev.lenet.tf;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.RealData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import java.util.List;
import java.util.Locale;

/** Trains a spec with a recipe on the real Fashion-MNIST, printing each epoch as the book does. */
final class RealDataRecipes {

  private RealDataRecipes() {}

  /** The metrics of every epoch; {@code name} labels the printed lines. */
  static List<EpochMetrics> train(String name, ModelSpec spec, TrainingConfig config) {
    TrainingData data = FashionMnist.loader().directory(RealData.fashionMnist()).load();
    TrainingListener print =
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics m) {
            System.out.printf(
                Locale.ROOT,
                "%s epoch %d: loss %.3f, train acc %.3f, test acc %.3f, %.0f examples/sec%n",
                name,
                m.epoch(),
                m.trainLoss(),
                m.trainAccuracy(),
                m.testAccuracy(),
                m.examplesPerSecond());
          }
        };
    try (TfModel model = new TfTrainer().train(spec, data, config, print)) {
      return model.history();
    }
  }
}
