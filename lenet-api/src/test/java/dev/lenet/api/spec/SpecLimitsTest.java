package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Sizes whose activations or parameters overflow, or pass the limits, fail at build() naming the
 * layer, instead of reaching a backend that allocates (or overflows) an array for them.
 */
class SpecLimitsTest {

  private static ModelSpecBuilder lenetInput() {
    return ModelSpec.builder().input(1, 28, 28);
  }

  @Test
  void aConvolutionWithTwoBillionFiltersIsRefused() {
    assertThatThrownBy(() -> lenetInput().conv2d(Integer.MAX_VALUE, 5).flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "layer 1 (Conv2d 2147483647x5x5): output 2147483647x24x24 has 1,236,950,580,672"
                + " values per example, more than the limit of 1,000,000");
  }

  @Test
  void aDenseLayerOverTheParameterLimitIsRefused() {
    // 784 inputs x 200,000 units + 200,000 biases: a small output, but 157 million weights.
    assertThatThrownBy(() -> lenetInput().flatten().dense(200_000).dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "layer 2 (Dense 200000): 157,000,000 parameters, more than the limit of 10,000,000"
                + " per layer");
    assertThatThrownBy(() -> lenetInput().flatten().dense(Integer.MAX_VALUE).build())
        .hasMessageStartingWith("layer 2 (Dense 2147483647): output 2147483647 has");
  }

  @Test
  void anInputOverTheActivationLimitIsRefused() {
    assertThatThrownBy(() -> ModelSpec.builder().input(1, 100_000, 100_000).flatten().build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "input 1x100000x100000 has 10,000,000,000 values per example, more than the limit of"
                + " 1,000,000");
  }

  /** Padding near Integer.MAX_VALUE used to overflow the padded size to a negative number. */
  @Test
  void hugePaddingDoesNotOverflow() {
    assertThatThrownBy(
            () -> lenetInput().conv2d(1, 3).padding(Integer.MAX_VALUE).flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("layer 1 (Conv2d 1x3x3 pad 2147483647): output 1x4294967320x")
        .hasMessageEndingWith("more than the limit of 1,000,000");
  }

  /**
   * A kernel so large that its area overflows an int, with a stride that keeps the output small.
   */
  @Test
  void aHugeKernelIsCountedWithoutOverflow() {
    assertThatThrownBy(
            () ->
                lenetInput()
                    .conv2d(1, 60_000)
                    .padding(30_000)
                    .stride(60_000)
                    .flatten()
                    .dense(10)
                    .build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "layer 1 (Conv2d 1x60000x60000 stride 60000 pad 30000): 3,600,000,001 parameters, more"
                + " than the limit of 10,000,000 per layer");
  }

  @Test
  void aSpecFileOverTheLimitsIsRefusedNamingTheFileAndLayer() {
    String json =
        "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": ["
            + "{\"type\": \"conv2d\", \"filters\": 2147483647, \"kernelHeight\": 5,"
            + " \"kernelWidth\": 5, \"strideHeight\": 1, \"strideWidth\": 1,"
            + " \"paddingHeight\": 0, \"paddingWidth\": 0},"
            + "{\"type\": \"flatten\"}, {\"type\": \"dense\", \"units\": 10}]}";
    assertThatThrownBy(() -> SpecJson.read(json))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageStartingWith("spec JSON: layer 1 (Conv2d 2147483647x5x5): output")
        .hasMessageContaining("more than the limit of 1,000,000");
  }

  @Test
  void everyReadyMadeLeNetIsWellInsideTheLimits() {
    for (ModelSpec spec : new ModelSpec[] {LeNet.classic(), LeNet.batchNorm(), LeNet.modern()}) {
      for (LayerInfo info : spec.layerInfos()) {
        assertThat(info.outputShape().size()).isLessThan(ModelSpec.MAX_ACTIVATIONS / 100);
        assertThat(info.parameters()).isLessThan(ModelSpec.MAX_LAYER_PARAMETERS / 100);
      }
    }
  }
}
