package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import org.junit.jupiter.api.Test;

/** A batch whose mean loss passes the config's bound stops training, not only NaN. */
class DivergenceTest {

  @Test
  void aFiniteLossAboveTheBoundStopsAtTheFirstBatch() {
    // A fresh four-class network starts near ln 4 = 1.39, above this bound.
    TrainingConfig config = TrainingTest.quick().maxLoss(0.5).build();
    assertThatThrownBy(
            () -> new TfTrainer().train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config))
        .isInstanceOf(TrainingException.class)
        .hasMessageStartingWith("training diverged: the mean loss of epoch 1, batch 1 of 38 was ")
        .hasMessageContaining(", above the bound 0.5; try a smaller learning rate (it is 0.1)");
  }

  @Test
  void aHugeLearningRateStopsUnderTheDefaultBound() {
    TrainingConfig config = TrainingTest.quick().learningRate(1e6).build();
    assertThatThrownBy(
            () -> new TfTrainer().train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config))
        .isInstanceOf(TrainingException.class)
        .hasMessageMatching(
            "training diverged: the mean loss of epoch 1, batch \\d+ of 38 was .*, (above the"
                + " bound 69\\.3|not a finite number); try a smaller learning rate \\(it is"
                + " 1000000\\.0\\)");
  }

  @Test
  void anInfiniteBoundLetsAnOrdinaryRunFinish() {
    TrainingConfig config =
        TrainingTest.quick().epochs(1).maxLoss(Double.POSITIVE_INFINITY).build();
    try (TfModel m =
        new TfTrainer().train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config)) {
      assertThat(m.history()).hasSize(1);
    }
  }
}
