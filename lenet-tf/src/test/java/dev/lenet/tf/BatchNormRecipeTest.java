package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.RealData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingConfig;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * {@code LeNet.batchNorm()} on the real Fashion-MNIST with its recipe: 10 epochs, SGD lr 1.0, batch
 * 256, Xavier. The PyTorch peer ({@code --variant batchNorm}) ends at loss 0.266 / 0.263, train acc
 * 0.902 / 0.903, test acc 0.855 / 0.808 (seeds 0 and 1).
 */
class BatchNormRecipeTest {

  @Test
  void reachesThePeersFigures() {
    TrainingData data = FashionMnist.loader().directory(RealData.fashionMnist()).load();
    TrainingConfig config = TrainingConfig.builder().learningRate(1.0).build();
    try (TfModel model = new TfTrainer().train(LeNet.batchNorm(), data, config)) {
      for (EpochMetrics m : model.history()) {
        System.out.printf(
            Locale.ROOT,
            "batchNorm epoch %d: loss %.3f, train acc %.3f, test acc %.3f, %.0f examples/sec%n",
            m.epoch(),
            m.trainLoss(),
            m.trainAccuracy(),
            m.testAccuracy(),
            m.examplesPerSecond());
      }
      EpochMetrics last = model.history().get(9);
      assertThat(last.trainLoss()).isLessThanOrEqualTo(0.30);
      assertThat(last.trainAccuracy()).isGreaterThanOrEqualTo(0.88);
      assertThat(last.testAccuracy()).isGreaterThanOrEqualTo(0.75);
    }
  }
}
