package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.spec.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RealFashionMnistTest {

  @Test
  void theRealDataSetHasTheBooksSizesAndBalancedClasses() {
    TrainingData data = FashionMnist.loader().directory(RealData.fashionMnist()).load();
    assertThat(data.train().size()).isEqualTo(60_000);
    assertThat(data.test().size()).isEqualTo(10_000);
    assertThat(data.train().imageShape()).isEqualTo(Shape.image(1, 28, 28));
    assertThat(data.train().pixelBuffer().capacity()).isEqualTo(47_040_000);
    assertThat(data.train().classCounts()).containsOnly(6_000);
    assertThat(data.test().classCounts()).containsOnly(1_000);
    assertThat(data.train().classNames().get(9)).isEqualTo("Ankle boot");
    // Not all black: real images, scaled by the batcher into [0, 1].
    float[] first = data.train().batches(256).inOrder().iterator().next().images();
    assertThat(Arrays.stream(toDoubles(first)).max().orElseThrow()).isEqualTo(1.0);
  }

  private static double[] toDoubles(float[] values) {
    double[] d = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      d[i] = values[i];
    }
    return d;
  }
}
