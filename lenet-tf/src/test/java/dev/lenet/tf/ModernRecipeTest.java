package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code LeNet.modern()} on the real Fashion-MNIST with its recipe: 10 epochs, SGD lr 0.1, batch
 * 256, Xavier. The PyTorch peer ({@code --variant modern}) ends at loss 0.488 / 0.439, train acc
 * 0.827 / 0.847, test acc 0.845 / 0.857 (seeds 0 and 1).
 */
class ModernRecipeTest {

  @Test
  void reachesThePeersFigures() {
    TrainingConfig config = TrainingConfig.builder().learningRate(0.1).build();
    EpochMetrics last = RealDataRecipes.train("modern", LeNet.modern(), config).get(9);
    assertThat(last.trainLoss()).isLessThanOrEqualTo(0.55);
    assertThat(last.testAccuracy()).isGreaterThanOrEqualTo(0.82);
  }
}
