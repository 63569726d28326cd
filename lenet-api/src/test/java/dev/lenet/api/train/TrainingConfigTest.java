package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainingConfigTest {

  @Test
  void defaultsAreTheBooksRecipe() {
    TrainingConfig c = TrainingConfig.book();
    assertThat(c.epochs()).isEqualTo(10);
    assertThat(c.batchSize()).isEqualTo(256);
    assertThat(c.learningRate()).isEqualTo(0.9);
    assertThat(c.optimizer()).isEqualTo(Optimizer.SGD);
    assertThat(c.weightInit()).isEqualTo(WeightInit.XAVIER_UNIFORM);
    assertThat(c.device()).isEqualTo(Device.AUTO);
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }

  @Test
  void badValuesAreNamed() {
    assertThatThrownBy(() -> TrainingConfig.builder().epochs(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("epochs must be > 0, found 0");
    assertThatThrownBy(() -> TrainingConfig.builder().batchSize(-3).build())
        .hasMessage("batch size must be > 0, found -3");
    assertThatThrownBy(() -> TrainingConfig.builder().learningRate(Double.NaN).build())
        .hasMessage("learning rate must be finite and > 0, found NaN");
    assertThatThrownBy(() -> TrainingConfig.builder().threads(-1).build())
        .hasMessageContaining("thread counts must be >= 0");
  }

  @Test
  void devicesParse() {
    assertThat(Device.parse("auto")).isEqualTo(Device.AUTO);
    assertThat(Device.parse("CPU")).isEqualTo(Device.CPU);
    assertThat(Device.parse("gpu")).isEqualTo(Device.GPU);
    assertThat(Device.parse("gpu:2")).isEqualTo(new Device(Device.Kind.GPU, 2));
    assertThat(Device.parse("gpu:2").toString()).isEqualTo("gpu:2");
    for (String bad : new String[] {"tpu", "gpu:", "gpu:-1", "gpu:x", "cpu:1"}) {
      assertThatThrownBy(() -> Device.parse(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown device '" + bad + "'");
    }
  }
}
