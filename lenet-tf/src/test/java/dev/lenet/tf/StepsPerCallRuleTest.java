package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.TrainingConfig;
import org.junit.jupiter.api.Test;

/** How many steps a session call runs when the options leave it to the backend. */
class StepsPerCallRuleTest {

  private static final TfOptions AUTO = TfOptions.defaults();

  /** {@code n} one-pixel images: the rule looks at their count only. */
  private static ImageDataset images(int n) {
    return TestNets.randomImages("rule", Shape.image(1, 1, 1), n, 2, 1);
  }

  private static TrainingConfig epochs(int n) {
    return TrainingConfig.book().toBuilder().epochs(n).build();
  }

  @Test
  void theBooksTenEpochsRunFourStepsPerCallAndOneEpochRunsOne() {
    // Fashion-MNIST at batch 256: 235 steps an epoch.
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(10), images(60_000), 0))
        .isEqualTo(TfOptions.LONG_RUN_STEPS_PER_CALL);
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(1), images(60_000), 0)).isEqualTo(1);
  }

  @Test
  void theStepsLeftDecideFromTheFirstLongEnoughRun() {
    // 4 epochs are 940 steps, 5 are 1,175; resuming after 6 of 10 leaves 940.
    ImageDataset train = images(60_000);
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(4), train, 0)).isEqualTo(1);
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(5), train, 0)).isEqualTo(4);
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(10), train, 6)).isEqualTo(1);
  }

  @Test
  void aLongRunWhoseEpochsHaveFewerFullBatchesThanACallRunsOne() {
    // 700 images in batches of 256: 2 full batches and a short one an epoch, 1,200 steps in all.
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(400), images(700), 0)).isEqualTo(1);
    assertThat(AUTO.resolveStepsPerCall(Device.CPU, epochs(250), images(1_100), 0)).isEqualTo(4);
  }

  @Test
  void aGpuRunAndAnExplicitChoiceAreLeftAlone() {
    ImageDataset train = images(60_000);
    assertThat(AUTO.resolveStepsPerCall(Device.GPU, epochs(10), train, 0)).isEqualTo(1);
    assertThat(AUTO.withStepsPerCall(2).resolveStepsPerCall(Device.CPU, epochs(1), train, 0))
        .isEqualTo(2);
    assertThat(AUTO.withStepsPerCall(1).resolveStepsPerCall(Device.CPU, epochs(10), train, 0))
        .isEqualTo(1);
  }
}
