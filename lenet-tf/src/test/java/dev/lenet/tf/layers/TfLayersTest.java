package dev.lenet.tf.layers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.internal.Json;
import dev.lenet.api.spec.Layer;
import org.junit.jupiter.api.Test;

/** Every layer kind the sealed {@link Layer} permits has its TensorFlow class; none is guessed. */
class TfLayersTest {

  @Test
  void everyPermittedLayerKindHasATensorFlowClass() {
    assertThat(Json.layerKinds()).isNotEmpty();
    for (Class<?> kind : Json.layerKinds()) {
      assertThat(TfLayers.kinds()).as(kind.getSimpleName()).contains(kind.asSubclass(Layer.class));
    }
    assertThat(TfLayers.kinds()).hasSameSizeAs(Json.layerKinds());
  }
}
