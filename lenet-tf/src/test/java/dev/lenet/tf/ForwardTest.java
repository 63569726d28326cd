package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.runtime.TfLayouts;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ForwardTest {

  @Test
  void aTinyNetWithConstantWeightsMatchesAHandComputation() {
    // 1x3x3 image, one 2x2 filter of ones with bias 0.5, sigmoid, 2x2 average pool,
    // flatten, dense to 2 classes.
    ModelSpec spec =
        ModelSpec.builder()
            .input(1, 3, 3)
            .conv2d(1, 2)
            .sigmoid()
            .avgPool(2, 1)
            .flatten()
            .dense(2)
            .build();
    Map<String, float[]> w =
        Map.of(
            "layer1.weight", new float[] {1, 1, 1, 1},
            "layer1.bias", new float[] {0.5f},
            "layer5.weight", new float[] {2, -1},
            "layer5.bias", new float[] {0, 1});
    float[] image = {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f};
    // Conv windows: 0.1+0.2+0.4+0.5=1.2, 0.2+0.3+0.5+0.6=1.6, 0.4+0.5+0.7+0.8=2.4,
    // 0.5+0.6+0.8+0.9=2.8; plus bias 0.5.
    double mean =
        (sigmoid(1.7) + sigmoid(2.1) + sigmoid(2.9) + sigmoid(3.3)) / 4; // avg pool of 2x2
    double l0 = 2 * mean;
    double l1 = -mean + 1;
    double p0 = Math.exp(l0) / (Math.exp(l0) + Math.exp(l1));
    try (TfModel model = TfModel.fromWeights(spec, w, List.of("a", "b"))) {
      Prediction p = model.predict(image);
      assertThat((double) p.probabilities().get(0)).isCloseTo(p0, within(1e-6));
      assertThat((double) p.probabilities().get(1)).isCloseTo(1 - p0, within(1e-6));
      assertThat(p.predictedClass()).isEqualTo(p0 > 0.5 ? 0 : 1);
    }
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  @Test
  void everyLayerKindMatchesTheReferenceImplementation() {
    matchesTheReferenceImplementation(TestNets.everyLayer());
  }

  @Test
  void blockedStagesMatchTheReferenceImplementation() {
    matchesTheReferenceImplementation(TestNets.blockedStages());
    matchesTheReferenceImplementation(TestNets.blockedStages(), TestNets.LAYER_BY_LAYER);
  }

  /**
   * Inference normalizes with the running statistics (random here, variances positive) and drops
   * nothing.
   */
  @Test
  void batchNormAndDropoutInInferenceMatchTheReferenceImplementation() {
    matchesTheReferenceImplementation(TestNets.batchNormAndDropout());
  }

  @Test
  void blockedMaxPoolsMatchTheReferenceImplementation() {
    matchesTheReferenceImplementation(TestNets.blockedMaxPools());
  }

  private static void matchesTheReferenceImplementation(ModelSpec spec) {
    matchesTheReferenceImplementation(spec, TfOptions.defaults());
  }

  private static void matchesTheReferenceImplementation(ModelSpec spec, TfOptions options) {
    Map<String, float[]> w = TestNets.randomWeights(spec, 42, 0.5);
    int size = (int) spec.input().size();
    int count = 5;
    float[] images = new float[count * size];
    SplittableRandom r = new SplittableRandom(7);
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) r.nextDouble();
    }
    try (TfModel model = TfModel.fromWeights(spec, w, TestNets.classes(3), options)) {
      List<Prediction> predictions = model.predict(images, count);
      for (int n = 0; n < count; n++) {
        double[] image = new double[size];
        for (int i = 0; i < size; i++) {
          image[i] = images[n * size + i];
        }
        double[] expected =
            ReferenceNet.softmax(ReferenceNet.logits(spec, TestNets.toDouble(w), image));
        for (int c = 0; c < 3; c++) {
          assertThat((double) predictions.get(n).probabilities().get(c))
              .as("image %d class %d", n, c)
              .isCloseTo(expected[c], within(1e-5));
        }
      }
    }
  }

  @Test
  void weightsComeBackInTheLayoutTheyWentIn() {
    ModelSpec spec = TestNets.everyLayer();
    Map<String, float[]> w = TestNets.randomWeights(spec, 3, 1);
    try (TfModel model = TfModel.fromWeights(spec, w, TestNets.classes(3))) {
      Map<String, float[]> back = model.weights();
      assertThat(back.keySet()).containsExactlyElementsOf(w.keySet());
      w.forEach((name, values) -> assertThat(back.get(name)).as(name).containsExactly(values));
    }
  }

  @Test
  void layoutConversionsRoundTrip() {
    List<Integer> conv = List.of(3, 2, 4, 5);
    float[] api = new float[120];
    for (int i = 0; i < api.length; i++) {
      api[i] = i;
    }
    float[] tf = TfLayouts.toTf(api, conv);
    // API (o=1, i=0, y=2, x=3) is element ((1*2+0)*4+2)*5+3 = 53; HWIO index ((2*5+3)*2+0)*3+1.
    assertThat(tf[((2 * 5 + 3) * 2) * 3 + 1]).isEqualTo(53f);
    assertThat(TfLayouts.toApi(tf, conv)).containsExactly(api);
    List<Integer> dense = List.of(4, 30);
    assertThat(TfLayouts.toApi(TfLayouts.toTf(api, dense), dense)).containsExactly(api);
    assertThat(TfLayouts.toTf(api, dense)[1]).isEqualTo(30f);
  }
}
