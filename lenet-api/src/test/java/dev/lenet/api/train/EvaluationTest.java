package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class EvaluationTest {

  @Test
  void metricsMatchAHandComputation() {
    // actual:    0 0 0 1 1 2
    // predicted: 0 0 1 1 2 2
    Evaluation e =
        Evaluation.of(
            List.of("a", "b", "c"), new int[] {0, 0, 0, 1, 1, 2}, new int[] {0, 0, 1, 1, 2, 2});
    assertThat(e.confusion())
        .containsExactly(List.of(2L, 1L, 0L), List.of(0L, 1L, 1L), List.of(0L, 0L, 1L));
    assertThat(e.accuracy()).isCloseTo(4.0 / 6, within(1e-12));
    assertThat(e.precision(0)).isCloseTo(1.0, within(1e-12));
    assertThat(e.recall(0)).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(e.f1(0)).isCloseTo(0.8, within(1e-12));
    assertThat(e.precision(1)).isCloseTo(0.5, within(1e-12));
    assertThat(e.recall(1)).isCloseTo(0.5, within(1e-12));
    assertThat(e.precision(2)).isCloseTo(0.5, within(1e-12));
    assertThat(e.recall(2)).isCloseTo(1.0, within(1e-12));
    assertThat(e.f1(2)).isCloseTo(2 * 0.5 / 1.5, within(1e-12));
    assertThat(e.report()).contains("accuracy 0.6667 on 6 examples").contains("confusion");
  }

  @Test
  void emptyClassesGiveZeroNotNaN() {
    Evaluation e = Evaluation.of(List.of("a", "b"), new int[] {0}, new int[] {0});
    assertThat(e.precision(1)).isZero();
    assertThat(e.recall(1)).isZero();
    assertThat(e.f1(1)).isZero();
  }

  @Test
  void predictionPicksTheMostProbableClass() {
    Prediction p = Prediction.of(new float[] {0.1f, 0.6f, 0.3f});
    assertThat(p.predictedClass()).isEqualTo(1);
    assertThat(p.topClasses(2)).containsExactly(1, 2);
  }
}
