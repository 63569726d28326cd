package dev.lenet.tf.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.train.Device;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How many steps a session call runs when the options leave it to the backend. */
class StepsPerCallRuleTest {

  private static final TfOptions AUTO = TfOptions.defaults();
  private static final ExecutionPlan CPU = plan(Device.CPU);

  private static ExecutionPlan plan(Device device) {
    return new ExecutionPlan(device, 2, 1, 2, List.of(), ExecutionPlan.Setup.NONE);
  }

  private static TrainingConfig epochs(int n) {
    return TrainingConfig.book().toBuilder().epochs(n).build();
  }

  @Test
  void theBooksTenEpochsRunFourStepsPerCallAndOneEpochRunsOne() {
    // Fashion-MNIST at batch 256: 235 steps an epoch.
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(10), 60_000, 0))
        .isEqualTo(TfOptions.LONG_RUN_STEPS_PER_CALL);
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(1), 60_000, 0)).isEqualTo(1);
  }

  @Test
  void theStepsLeftDecideFromTheFirstLongEnoughRun() {
    // 4 epochs are 940 steps, 5 are 1,175; resuming after 6 of 10 leaves 940.
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(4), 60_000, 0)).isEqualTo(1);
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(5), 60_000, 0)).isEqualTo(4);
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(10), 60_000, 6)).isEqualTo(1);
  }

  @Test
  void aLongRunWhoseEpochsHaveFewerFullBatchesThanACallRunsOne() {
    // 700 images in batches of 256: 2 full batches and a short one an epoch, 1,200 steps in all.
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(400), 700, 0)).isEqualTo(1);
    assertThat(TrainingRun.stepsPerCall(AUTO, CPU, epochs(250), 1_100, 0)).isEqualTo(4);
  }

  @Test
  void aGpuRunAndAnExplicitChoiceAreLeftAlone() {
    assertThat(TrainingRun.stepsPerCall(AUTO, plan(Device.GPU), epochs(10), 60_000, 0))
        .isEqualTo(1);
    assertThat(TrainingRun.stepsPerCall(AUTO.withStepsPerCall(2), CPU, epochs(1), 60_000, 0))
        .isEqualTo(2);
    assertThat(TrainingRun.stepsPerCall(AUTO.withStepsPerCall(1), CPU, epochs(10), 60_000, 0))
        .isEqualTo(1);
  }
}
