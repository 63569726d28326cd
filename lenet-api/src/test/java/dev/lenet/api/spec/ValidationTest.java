package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationTest {

  private static ModelSpecBuilder lenetInput() {
    return ModelSpec.builder().input(1, 28, 28);
  }

  @Test
  void kernelLargerThanItsInputNamesLayerAndShape() {
    assertThatThrownBy(
            () -> lenetInput().conv2d(6, 5).avgPool(8, 8).conv2d(16, 5).flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("layer 3 (Conv2d 16x5x5): input 6x3x3 is smaller than the kernel 5x5");
  }

  @Test
  void poolLargerThanItsInput() {
    assertThatThrownBy(() -> lenetInput().avgPool(30, 2).flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "layer 1 (AvgPool2d 30 stride 2): input 1x28x28 is smaller than the kernel 30x30");
  }

  @Test
  void denseBeforeFlatten() {
    assertThatThrownBy(() -> lenetInput().conv2d(6, 5).dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("layer 2 (Dense 10): input 6x24x24 is not a vector")
        .hasMessageContaining("flatten()");
  }

  @Test
  void nonPositiveSizesNameTheLayer() {
    assertThatThrownBy(() -> lenetInput().conv2d(0, 5).flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("layer 1 (Conv2d 0x5x5): filters must be > 0, found 0");
    assertThatThrownBy(() -> lenetInput().conv2d(6, -1).flatten().dense(10).build())
        .hasMessage("layer 1 (Conv2d 6x-1x-1): kernel height must be > 0, found -1");
    assertThatThrownBy(() -> lenetInput().conv2d(6, 5).stride(0).flatten().dense(10).build())
        .hasMessage("layer 1 (Conv2d 6x5x5): stride height must be > 0, found 0");
    assertThatThrownBy(() -> lenetInput().conv2d(6, 5).padding(-1).flatten().dense(10).build())
        .hasMessage("layer 1 (Conv2d 6x5x5): padding height must be >= 0, found -1");
    assertThatThrownBy(() -> lenetInput().avgPool(2, 0).flatten().dense(10).build())
        .hasMessage("layer 1 (AvgPool2d 2 stride 0): stride height must be > 0, found 0");
    assertThatThrownBy(() -> lenetInput().maxPool(0, 2).flatten().dense(10).build())
        .hasMessage("layer 1 (MaxPool2d 0 stride 2): kernel height must be > 0, found 0");
    assertThatThrownBy(() -> lenetInput().flatten().dense(0).build())
        .hasMessage("layer 2 (Dense 0): units must be > 0, found 0");
    assertThatThrownBy(() -> ModelSpec.builder().input(1, 0, 28).flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("input: shape dimensions must be > 0, found [1, 0, 28]");
  }

  @Test
  void noLayers() {
    assertThatThrownBy(() -> lenetInput().build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("a model needs at least one layer, found none");
  }

  @Test
  void noInput() {
    assertThatThrownBy(() -> ModelSpec.builder().flatten().dense(10).build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input(channels, height, width)");
  }

  @Test
  void outputNotAVector() {
    assertThatThrownBy(() -> lenetInput().conv2d(6, 5).sigmoid().build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("layer 2 (Sigmoid): the model's output 6x24x24 is not a vector");
  }

  @Test
  void directConstructionIsValidatedToo() {
    assertThatThrownBy(
            () -> new ModelSpec(Shape.image(1, 4, 4), List.of(Conv2d.of(2, 5), new Flatten())))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("layer 1 (Conv2d 2x5x5): input 1x4x4 is smaller than the kernel 5x5");
  }

  @Test
  void paddingAndStrideMustFollowALayerThatHasThem() {
    assertThatThrownBy(() -> lenetInput().sigmoid().padding(2))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContaining("it is Sigmoid");
    assertThatThrownBy(() -> lenetInput().stride(2))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no layer yet");
  }
}
