package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Prediction;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link TfModel#signature} runs the exported serving signature: its probabilities are {@code
 * predict}'s, its logits give them through softmax, and a batch larger than one session call is
 * answered whole and in order.
 */
class SignatureTest {

  @Test
  void logitsAndProbabilitiesAgreeWithPredictAcrossSessionCalls() {
    ModelSpec spec = ModelSpec.builder().input(1, 6, 6).flatten().dense(3).build();
    int count = TfModel.INFERENCE_BATCH + 7;
    float[] images = new float[count * 36];
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < images.length; i++) {
      images[i] = (float) random.nextDouble();
    }
    try (TfModel model =
        TfModel.fromWeights(spec, TestNets.randomWeights(spec, 1, 0.5), TestNets.classes(3))) {
      TfModel.SignatureOutputs out = model.signature(images, count);
      List<Prediction> expected = model.predict(images, count);
      assertThat(out.count()).isEqualTo(count);
      assertThat(out.classes()).isEqualTo(3);
      for (int i : new int[] {0, TfModel.INFERENCE_BATCH - 1, TfModel.INFERENCE_BATCH, count - 1}) {
        float[] l = out.logits(i);
        double sum = Math.exp(l[0]) + Math.exp(l[1]) + Math.exp(l[2]);
        for (int c = 0; c < 3; c++) {
          assertThat(out.probabilities(i)[c])
              .isCloseTo(expected.get(i).probabilities().get(c), within(1e-6f));
          assertThat(Math.exp(l[c]) / sum).isCloseTo(out.probabilities(i)[c], within(1e-5));
        }
      }
      assertThatThrownBy(() -> model.signature(new float[35], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("found 35");
    }
  }
}
