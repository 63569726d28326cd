package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A spec file's integers must be JSON integers: before, {@code "filters": 6.5} was truncated to 6,
 * and {@code "6"} or {@code true} were coerced, without a word.
 */
class SpecJsonIntegersTest {

  private static String spec(String filters) {
    return "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": ["
        + "{\"type\": \"conv2d\", \"filters\": "
        + filters
        + ", \"kernelHeight\": 5, \"kernelWidth\": 5, \"strideHeight\": 1, \"strideWidth\": 1,"
        + " \"paddingHeight\": 0, \"paddingWidth\": 0},"
        + "{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}]}";
  }

  @ParameterizedTest
  @ValueSource(strings = {"6.5", "6.0", "\"6\"", "true", "6e0"})
  void aNonIntegerIsRefusedNamingTheFieldAndLayer(String filters) {
    assertThatThrownBy(() -> SpecJson.read(spec(filters)))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageStartingWith("spec JSON, line 1, column ")
        .hasMessageContaining("(layers[0].filters)")
        .hasMessageContaining("expected an integer, found ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"6.5", "\"6\"", "true"})
  void theMessageShowsTheValueRefused(String filters) {
    assertThatThrownBy(() -> SpecJson.read(spec(filters)))
        .hasMessage(
            "spec JSON, line 1, column 78 (layers[0].filters): expected an integer, found "
                + filters);
  }

  @Test
  void anIntegerIsRead() {
    assertThat(SpecJson.read(spec("6")).layers().get(0)).isInstanceOf(Conv2d.class);
  }

  @Test
  void inputDimensionsMustBeIntegers() {
    assertThatThrownBy(
            () ->
                SpecJson.read(
                    "{\"format\": 1, \"input\": [1, 28.5, 28], \"layers\": [{\"type\":"
                        + " \"flatten\"}]}"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("(input[1]): expected an integer, found 28.5");
  }
}
