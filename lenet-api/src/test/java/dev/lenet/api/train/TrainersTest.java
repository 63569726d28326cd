package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TrainersTest {

  @Test
  void noBackendSaysWhatToAdd() {
    // lenet-api alone registers no backend.
    assertThatThrownBy(Trainers::find)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("META-INF/services")
        .hasMessageContaining("dev.lenet:lenet-tf");
  }
}
