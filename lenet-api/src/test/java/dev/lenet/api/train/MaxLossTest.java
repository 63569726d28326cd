package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.internal.Json;
import org.junit.jupiter.api.Test;

/** The divergence bound: derived from the class count unless set, and absent from old files. */
class MaxLossTest {

  @Test
  void theDefaultBoundIsFiftyTimesTheLogOfTheClassCount() {
    TrainingConfig c = TrainingConfig.book();
    assertThat(c.maxLoss()).isEqualTo(TrainingConfig.AUTO_MAX_LOSS);
    assertThat(c.maxLoss(10)).isCloseTo(115.13, within(0.01));
    assertThat(c.maxLoss(4)).isCloseTo(50 * Math.log(4), within(1e-9));
    assertThat(c.maxLoss(1)).as("one class counts as two").isCloseTo(34.66, within(0.01));
  }

  @Test
  void aSetBoundIsUsedForAnyClassCount() {
    TrainingConfig c = TrainingConfig.builder().maxLoss(7.5).build();
    assertThat(c.maxLoss(10)).isEqualTo(7.5);
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(TrainingConfig.builder().maxLoss(Double.POSITIVE_INFINITY).build().maxLoss(10))
        .isInfinite();
  }

  @Test
  void negativeOrNaNBoundsAreRefused() {
    assertThatThrownBy(() -> TrainingConfig.builder().maxLoss(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max loss must be > 0, or 0 for the automatic bound, found -1.0");
    assertThatThrownBy(() -> TrainingConfig.builder().maxLoss(Double.NaN).build())
        .hasMessageContaining("found NaN");
  }

  /** Checkpoints and model.json files written before the field existed read as the default. */
  @Test
  void aConfigWithoutTheFieldReadsAsTheDefault() throws Exception {
    String old =
        "{\"epochs\":3,\"batchSize\":256,\"learningRate\":0.9,\"optimizer\":\"SGD\","
            + "\"weightInit\":\"XAVIER_UNIFORM\",\"seed\":0,\"device\":\"cpu\","
            + "\"intraOpThreads\":1,\"interOpThreads\":1}";
    TrainingConfig c = Json.builder().build().readValue(old, TrainingConfig.class);
    assertThat(c.maxLoss()).isEqualTo(TrainingConfig.AUTO_MAX_LOSS);
    assertThat(c.maxLoss(10)).isCloseTo(115.13, within(0.01));
    TrainingConfig set = TrainingConfig.builder().maxLoss(42).build();
    String written = Json.builder().build().writeValueAsString(set);
    assertThat(written).contains("\"maxLoss\" : 42.0");
    assertThat(Json.builder().build().readValue(written, TrainingConfig.class)).isEqualTo(set);
  }
}
