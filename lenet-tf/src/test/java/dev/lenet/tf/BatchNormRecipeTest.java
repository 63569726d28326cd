package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code LeNet.batchNorm()} on the real Fashion-MNIST with its recipe: 10 epochs, SGD lr 1.0, batch
 * 256, Xavier. The PyTorch peer ({@code --variant batchNorm}) ends at loss 0.266 / 0.263, train acc
 * 0.902 / 0.903, test acc 0.855 / 0.808 (seeds 0 and 1).
 */
class BatchNormRecipeTest {

  @Test
  void reachesThePeersFigures() {
    TrainingConfig config = TrainingConfig.builder().learningRate(1.0).build();
    EpochMetrics last = RealDataRecipes.train("batchNorm", LeNet.batchNorm(), config).get(9);
    assertThat(last.trainLoss()).isLessThanOrEqualTo(0.30);
    assertThat(last.trainAccuracy()).isGreaterThanOrEqualTo(0.88);
    assertThat(last.testAccuracy()).isGreaterThanOrEqualTo(0.75);
  }
}
