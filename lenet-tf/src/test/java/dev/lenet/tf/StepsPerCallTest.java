package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several training steps per session call make the same updates as one step per call: the same
 * weights, bit for bit, and the same history, for every optimizer (whose slots the copies of the
 * step share), for batch statistics and dropout (keyed by the step's number), and on the blocked
 * stages, split into two towers. 1,200 examples in batches of 32 are 37 full batches and a short
 * one, so an epoch with 3 steps per call ends with single steps.
 */
class StepsPerCallTest {

  /** Two towers whatever the cores, as on the machines this project trains on. */
  private static final TfOptions ONE = TfOptions.defaults().withTowers(2).withStepsPerCall(1);

  private static final TfOptions THREE = ONE.withStepsPerCall(3);

  @Test
  void sgdMomentumAndAdamMakeTheSameUpdates() {
    for (Optimizer optimizer : Optimizer.values()) {
      TrainingConfig config =
          TrainingTest.quick()
              .epochs(2)
              .threads(1)
              .optimizer(optimizer)
              .learningRate(optimizer == Optimizer.ADAM ? 0.01 : 0.05)
              .build();
      assertSameRun(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config, optimizer.name());
    }
  }

  @Test
  void batchStatisticsAndDropoutMakeTheSameUpdates() {
    TrainingConfig config = TrainingTest.quick().epochs(2).threads(1).build();
    assertSameRun(TrainingTest.normalizedNet(), TrainingTest.QUADRANTS, config, "normalized");
    // The same net layer by layer: batch normalization of NHWC images outside the blocked stages.
    assertSameRun(
        TrainingTest.normalizedNet(),
        TrainingTest.QUADRANTS,
        config,
        "normalized, layer by layer",
        ONE.withConvolutionStages(false),
        THREE.withConvolutionStages(false));
  }

  /**
   * A run stopped after epoch 1 and resumed with three steps per call ends with the weights of an
   * uninterrupted run with one: the steps per call are not part of a checkpoint.
   */
  @Test
  void aRunResumedWithOtherStepsPerCallEndsAsAnUninterruptedOne(@TempDir Path tmp) {
    TrainingConfig config =
        TrainingTest.quick().epochs(2).threads(1).optimizer(Optimizer.MOMENTUM).build();
    Path dir = tmp.resolve("run");
    TrainingListener stop =
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics m) {
            throw new IllegalStateException("stopped");
          }
        };
    assertThatThrownBy(
            () ->
                new TfTrainer(ONE)
                    .train(
                        TrainingTest.smallNet(),
                        TrainingTest.QUADRANTS,
                        config,
                        stop,
                        CheckpointPolicy.everyEpoch(dir)))
        .hasMessage("stopped");
    Run whole = train(ONE, TrainingTest.smallNet(), TrainingTest.QUADRANTS, config);
    try (TfModel resumed =
        new TfTrainer(THREE)
            .resume(
                TrainingTest.QUADRANTS, TrainingListener.NONE, CheckpointPolicy.everyEpoch(dir))) {
      assertThat(resumed.plan().fastPaths()).contains("3 training steps per session call");
      whole
          .weights()
          .forEach(
              (name, w) -> assertThat(resumed.weights().get(name)).as(name).containsExactly(w));
    }
  }

  /** A diverging step is named by its own batch, whichever step of its call it is. */
  @Test
  void aDivergingStepIsNamedAsOneStepPerCallNamesIt() {
    TrainingConfig config = TrainingTest.quick().learningRate(1e30).build();
    String one = divergence(ONE, config);
    assertThat(one).matches("(?s).*epoch 1, batch [2-9] of 38.*");
    assertThat(divergence(THREE, config)).isEqualTo(one);
  }

  private static String divergence(TfOptions options, TrainingConfig config) {
    Throwable t =
        catchThrowable(
            () ->
                new TfTrainer(options)
                    .train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config)
                    .close());
    assertThat(t).isInstanceOf(TrainingException.class);
    return t.getMessage();
  }

  @Test
  void blockedStagesMakeTheSameUpdates() {
    ModelSpec spec = TestNets.blockedStages();
    ImageDataset train = TestNets.randomImages("random train", spec.input(), 1200, 3, 5);
    ImageDataset test = TestNets.randomImages("random test", spec.input(), 100, 3, 6);
    TrainingConfig config = TrainingTest.quick().epochs(1).threads(1).learningRate(0.5).build();
    assertSameRun(spec, new TrainingData(train, test), config, "blocked");
  }

  @Test
  void thePlanNamesTheStepsPerCall() {
    TrainingConfig config = TrainingTest.quick().epochs(1).build();
    try (TfModel model =
        new TfTrainer(THREE).train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config)) {
      assertThat(model.plan().fastPaths()).contains("3 training steps per session call");
    }
    try (TfModel model =
        new TfTrainer(ONE).train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config)) {
      assertThat(model.plan().fastPaths()).noneMatch(line -> line.contains("session call"));
    }
  }

  @Test
  void stepsPerCallAreBounded() {
    assertThatThrownBy(() -> TfOptions.defaults().withStepsPerCall(-1))
        .hasMessage("steps per session call must be 1 to 16 (0 = the backend's choice), found -1");
    assertThatThrownBy(() -> TfOptions.defaults().withStepsPerCall(17))
        .hasMessage("steps per session call must be 1 to 16 (0 = the backend's choice), found 17");
  }

  /** Trains with one and with three steps per call and compares everything the runs report. */
  private static void assertSameRun(
      ModelSpec spec, TrainingData data, TrainingConfig config, String what) {
    assertSameRun(spec, data, config, what, ONE, THREE);
  }

  private static void assertSameRun(
      ModelSpec spec,
      TrainingData data,
      TrainingConfig config,
      String what,
      TfOptions single,
      TfOptions several) {
    Run one = train(single, spec, data, config);
    Run three = train(several, spec, data, config);
    assertThat(three.weights().keySet()).as(what).isEqualTo(one.weights().keySet());
    one.weights()
        .forEach(
            (name, w) ->
                assertThat(three.weights().get(name)).as(what + " " + name).containsExactly(w));
    assertThat(three.history()).hasSameSizeAs(one.history());
    for (int e = 0; e < one.history().size(); e++) {
      EpochMetrics a = one.history().get(e);
      EpochMetrics b = three.history().get(e);
      assertThat(b.trainLoss()).as(what).isEqualTo(a.trainLoss());
      assertThat(b.trainAccuracy()).as(what).isEqualTo(a.trainAccuracy());
      assertThat(b.testAccuracy()).as(what).isEqualTo(a.testAccuracy());
    }
    assertThat(three.batches()).as(what).isEqualTo(one.batches());
  }

  /** What a run reports: its final weights, history, and every batch's running figures. */
  private record Run(
      Map<String, float[]> weights, List<EpochMetrics> history, List<String> batches) {}

  private static Run train(
      TfOptions options, ModelSpec spec, TrainingData data, TrainingConfig config) {
    List<String> batches = new ArrayList<>();
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onBatch(BatchProgress p) {
            batches.add(
                p.epoch()
                    + "/"
                    + p.batch()
                    + "/"
                    + p.batches()
                    + " "
                    + p.examples()
                    + " "
                    + p.meanLoss()
                    + " "
                    + p.accuracy());
          }
        };
    try (TfModel model = new TfTrainer(options).train(spec, data, config, listener)) {
      return new Run(model.weights(), model.history(), batches);
    }
  }
}
