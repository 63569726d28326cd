package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.internal.Checkpoints;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.HaltAt;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  static final int EPOCHS = 4;

  @TempDir Path tmp;

  /** The uninterrupted runs to compare against, one per optimizer. */
  static final Map<Optimizer, TfModelSnapshot> REFERENCE = new EnumMap<>(Optimizer.class);

  record TfModelSnapshot(Map<String, float[]> weights, List<EpochMetrics> history) {}

  @BeforeAll
  static void uninterruptedRuns() {
    for (Optimizer o : Optimizer.values()) {
      try (TfModel m =
          new TfTrainer()
              .train(
                  TrainingTest.smallNet(),
                  TrainingTest.QUADRANTS,
                  CheckpointWorker.config(o, EPOCHS))) {
        REFERENCE.put(o, new TfModelSnapshot(m.weights(), m.history()));
      }
    }
  }

  static void assertSameAsUninterrupted(Optimizer o, TfModel resumed) {
    TfModelSnapshot ref = REFERENCE.get(o);
    Map<String, float[]> w = resumed.weights();
    ref.weights()
        .forEach(
            (name, values) -> assertThat(w.get(name)).as(o + " " + name).containsExactly(values));
    assertThat(resumed.history()).hasSize(EPOCHS);
    for (int e = 0; e < EPOCHS; e++) {
      EpochMetrics a = ref.history().get(e);
      EpochMetrics b = resumed.history().get(e);
      assertThat(b.trainLoss()).as(o + " epoch " + (e + 1)).isEqualTo(a.trainLoss());
      assertThat(b.trainAccuracy()).isEqualTo(a.trainAccuracy());
      assertThat(b.testAccuracy()).isEqualTo(a.testAccuracy());
    }
  }

  /** Runs the worker in a fresh JVM and waits for it; returns its exit status. */
  int worker(String name, List<String> jvmFlags, String... args) throws Exception {
    Path log = tmp.resolve(name + ".log");
    Process p = Subprocess.start(log, CheckpointWorker.class, jvmFlags, args);
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).as(name).isTrue();
    return p.exitValue();
  }

  /** The final checkpoint of an uninterrupted run in a fresh JVM. */
  Checkpoint uninterruptedInOwnJvm(Optimizer o) throws Exception {
    Path dir = tmp.resolve("whole-" + o);
    assertThat(worker("whole-" + o, List.of(), "train", dir.toString(), o.name(), "" + EPOCHS))
        .isZero();
    return Checkpoints.latest(dir).orElseThrow();
  }

  static void assertSameCheckpoint(Checkpoint expected, Checkpoint actual) {
    assertThat(actual.epoch()).isEqualTo(expected.epoch());
    expected
        .tensors()
        .forEach(
            (name, values) ->
                assertThat(actual.tensors().get(name)).as(name).containsExactly(values));
    for (int e = 0; e < expected.history().size(); e++) {
      EpochMetrics a = expected.history().get(e);
      EpochMetrics b = actual.history().get(e);
      assertThat(b.trainLoss()).as("epoch " + (e + 1)).isEqualTo(a.trainLoss());
      assertThat(b.testAccuracy()).isEqualTo(a.testAccuracy());
    }
  }

  static TfModel resume(Path dir) {
    return new TfTrainer()
        .resume(TrainingTest.QUADRANTS, TrainingListener.NONE, CheckpointPolicy.everyEpoch(dir));
  }

  /** Stops a run, as a crash would, right after epoch 2's checkpoint is written. */
  private static final TrainingListener STOP_AFTER_EPOCH_TWO =
      new TrainingListener() {
        @Override
        public void onEpoch(EpochMetrics m) {
          if (m.epoch() == 2) {
            throw new IllegalStateException("stopped");
          }
        }
      };

  @Test
  void aRunStoppedAfterEpochTwoAndResumedEqualsAnUninterruptedOne() throws IOException {
    for (Optimizer o : Optimizer.values()) {
      Path dir = tmp.resolve(o.name());
      assertThatThrownBy(
              () ->
                  new TfTrainer()
                      .train(
                          TrainingTest.smallNet(),
                          TrainingTest.QUADRANTS,
                          CheckpointWorker.config(o, EPOCHS),
                          STOP_AFTER_EPOCH_TWO,
                          CheckpointPolicy.everyEpoch(dir)))
          .hasMessage("stopped");
      assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(2);
      try (TfModel resumed = resume(dir)) {
        assertSameAsUninterrupted(o, resumed);
      }
      // Only the newest checkpoint is kept, beside the lock file of the runs that wrote it.
      assertThat(list(dir)).containsExactly(".lock", "epoch-0004");
    }
  }

  @Test
  void sigkillMidRunThenResume() throws Exception {
    Path dir = tmp.resolve("killed");
    Path log = tmp.resolve("killed.log");
    Process p =
        Subprocess.start(
            log, CheckpointWorker.class, List.of(), "train", dir.toString(), "MOMENTUM", "4", "2");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (!Files.readString(log).contains("epoch 2") && System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
      Thread.sleep(20);
    }
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(2);
    assertThat(worker("resume-killed", List.of(), "resume", dir.toString(), "MOMENTUM", "4"))
        .isZero();
    assertSameCheckpoint(
        uninterruptedInOwnJvm(Optimizer.MOMENTUM), Checkpoints.latest(dir).orElseThrow());
  }

  /** Halts between writing and renaming a checkpoint, and between renaming and cleaning up. */
  @Test
  void crashesAtEveryCheckpointStageLeaveAResumableRun() throws Exception {
    Checkpoint expected = uninterruptedInOwnJvm(Optimizer.ADAM);
    for (CheckpointHook.Stage stage : CheckpointHook.Stage.values()) {
      HaltAt point = new HaltAt(stage, 2);
      String name = "halt-" + stage;
      Path dir = tmp.resolve(name);
      int status =
          worker(name, List.of(), "train", dir.toString(), "ADAM", "" + EPOCHS, point.toString());
      assertThat(status).isEqualTo(HaltAt.STATUS);
      if (stage == CheckpointHook.Stage.FILES_WRITTEN) {
        assertThat(list(dir))
            .containsExactlyInAnyOrder(".lock", "epoch-0001", ".epoch-0002.partial");
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);
      } else {
        assertThat(list(dir)).containsExactlyInAnyOrder(".lock", "epoch-0001", "epoch-0002");
        assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(2);
      }
      assertThat(worker("resume-" + name, List.of(), "resume", dir.toString(), "ADAM", "" + EPOCHS))
          .isZero();
      assertThat(list(dir)).containsExactly(".lock", "epoch-0004");
      assertSameCheckpoint(expected, Checkpoints.latest(dir).orElseThrow());
    }
  }

  /**
   * Batch normalization's running statistics and dropout's masks are part of the exact state: a run
   * stopped after epoch 2 and resumed ends with the uninterrupted run's weights, running statistics
   * and metrics, bit for bit.
   */
  @Test
  void aRunWithBatchNormAndDropoutResumesBitForBit() {
    ModelSpec spec = TrainingTest.normalizedNet();
    TrainingConfig config = TrainingTest.quick().epochs(3).threads(1).seed(7).build();
    Map<String, float[]> whole;
    List<EpochMetrics> wholeHistory;
    try (TfModel m = new TfTrainer().train(spec, TrainingTest.QUADRANTS, config)) {
      whole = m.weights();
      wholeHistory = m.history();
    }
    assertThat(whole).containsKeys("layer2.running_mean", "layer7.running_var");
    Path dir = tmp.resolve("normalized");
    assertThatThrownBy(
            () ->
                new TfTrainer()
                    .train(
                        spec,
                        TrainingTest.QUADRANTS,
                        config,
                        STOP_AFTER_EPOCH_TWO,
                        CheckpointPolicy.everyEpoch(dir)))
        .hasMessage("stopped");
    try (TfModel resumed =
        new TfTrainer()
            .resume(
                TrainingTest.QUADRANTS, TrainingListener.NONE, CheckpointPolicy.everyEpoch(dir))) {
      Map<String, float[]> after = resumed.weights();
      assertThat(after.keySet()).isEqualTo(whole.keySet());
      whole.forEach((name, values) -> assertThat(after.get(name)).as(name).containsExactly(values));
      for (int e = 0; e < 3; e++) {
        assertThat(resumed.history().get(e).trainLoss()).isEqualTo(wholeHistory.get(e).trainLoss());
        assertThat(resumed.history().get(e).testAccuracy())
            .isEqualTo(wholeHistory.get(e).testAccuracy());
      }
    }
  }

  @Test
  void aSavedModelPredictsTheSameBitsInANewJvm() throws Exception {
    predictsTheSameBitsInANewJvm(TrainingTest.smallNet());
  }

  /** Inference with running statistics survives the SavedModel, bit for bit. */
  @Test
  void aSavedBatchNormModelPredictsTheSameBitsInANewJvm() throws Exception {
    predictsTheSameBitsInANewJvm(TrainingTest.normalizedNet());
  }

  private void predictsTheSameBitsInANewJvm(ModelSpec spec) throws Exception {
    Path model = tmp.resolve("model-" + spec.layers().size());
    String here;
    try (TfModel m =
        new TfTrainer().train(spec, TrainingTest.QUADRANTS, TrainingTest.quick().build())) {
      m.save(model);
      here = PredictWorker.bits(m.predict(PredictWorker.images(), 20));
    }
    Path log = tmp.resolve("predict.log");
    Process p = Subprocess.start(log, PredictWorker.class, List.of(), model.toString());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String output = Files.readString(log);
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(output.substring(output.indexOf("BITS\n") + 5)).isEqualTo(here);
  }

  @Test
  void aCorruptCheckpointIsReportedNotTrusted() throws IOException {
    Path dir = tmp.resolve("corrupt");
    try (TfModel m =
        new TfTrainer()
            .train(
                TrainingTest.smallNet(),
                TrainingTest.QUADRANTS,
                CheckpointWorker.config(Optimizer.SGD, 1),
                TrainingListener.NONE,
                CheckpointPolicy.everyEpoch(dir))) {
      assertThat(m.history()).hasSize(1);
    }
    Path tensors = dir.resolve("epoch-0001/tensors.bin");
    byte[] bytes = Files.readAllBytes(tensors);
    bytes[100] ^= 1;
    Files.write(tensors, bytes);
    assertThatThrownBy(() -> Checkpoints.latest(dir))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("tensors.bin: checksum mismatch");
    assertThatThrownBy(() -> resume(tmp.resolve("empty")))
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining("no checkpoint to resume from");
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
