package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.DirectoryInUseException;
import dev.lenet.api.train.DirectoryLock;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the trainer refuses before its first step, and what it caps. */
class TrainerChecksTest {

  @TempDir Path tmp;

  @Test
  void aBatchLargerThanTheTrainingSetIsRefused() {
    TrainingConfig config = TrainingTest.quick().batchSize(1201).build();
    assertThatThrownBy(
            () -> new TfTrainer().train(TrainingTest.smallNet(), TrainingTest.QUADRANTS, config))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "batch size 1201 is larger than the training set (quadrants train: 1200 images);"
                + " choose at most 1200");
    ExecutionPlan whole =
        new TfTrainer()
            .check(
                TrainingTest.smallNet(),
                TrainingTest.QUADRANTS,
                TrainingTest.quick().batchSize(1200).build());
    assertThat(whole.towers()).isPositive();
  }

  @Test
  void aClassCountTheDataDoesNotHaveIsRefusedBeforeAnyGraph() {
    ModelSpec fiveClasses = ModelSpec.builder().input(1, 12, 12).flatten().dense(5).build();
    assertThatThrownBy(
            () ->
                new TfTrainer()
                    .check(fiveClasses, TrainingTest.QUADRANTS, TrainingTest.quick().build()))
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage("quadrants train has 4 classes but the model's last layer outputs 5");
  }

  @Test
  void threadsBeyondTheCoresAreCappedInThePlan() {
    int cores = Runtime.getRuntime().availableProcessors();
    TfTrainer trainer = new TfTrainer();
    ExecutionPlan plan = trainer.plan(TrainingTest.quick().threads(1000).build());
    assertThat(plan.interOpThreads()).isEqualTo(cores);
    assertThat(plan.intraOpThreads()).isEqualTo(Math.max(1, cores / plan.towers()));
    assertThat(trainer.plan(TrainingTest.quick().threads(1).build()).interOpThreads()).isEqualTo(1);
    assertThat(trainer.plan(TrainingTest.quick().threads(0).build()).interOpThreads()).isZero();
  }

  /** Two runs never write checkpoints into one directory. */
  @Test
  void aCheckpointDirectoryInUseIsRefused() throws IOException {
    Path dir = tmp.resolve("checkpoints");
    java.nio.file.Files.createDirectories(dir);
    try (DirectoryLock held = DirectoryLock.acquire(dir)) {
      assertThatThrownBy(
              () ->
                  new TfTrainer()
                      .train(
                          TrainingTest.smallNet(),
                          TrainingTest.QUADRANTS,
                          TrainingTest.quick().epochs(1).build(),
                          dev.lenet.api.train.TrainingListener.NONE,
                          CheckpointPolicy.everyEpoch(held.directory())))
          .isInstanceOf(DirectoryInUseException.class)
          .hasMessageStartingWith(dir + " is in use by another run in this process");
    }
    // Released after a run: the next one takes it.
    TrainingConfig once = TrainingTest.quick().epochs(1).build();
    CheckpointPolicy policy = CheckpointPolicy.everyEpoch(dir);
    new TfTrainer()
        .train(
            TrainingTest.smallNet(),
            TrainingTest.QUADRANTS,
            once,
            dev.lenet.api.train.TrainingListener.NONE,
            policy)
        .close();
    try (DirectoryLock again = DirectoryLock.acquire(dir)) {
      assertThat(again.directory()).isEqualTo(dir);
    }
  }

  @Test
  void aCheckpointDirectoryThatIsAFileIsRefusedWithTheReason() throws IOException {
    Path file = java.nio.file.Files.writeString(tmp.resolve("afile"), "not a directory");
    Path dir = file.resolve("checkpoints");
    assertThatThrownBy(
            () ->
                new TfTrainer()
                    .train(
                        TrainingTest.smallNet(),
                        TrainingTest.QUADRANTS,
                        TrainingTest.quick().epochs(1).build(),
                        dev.lenet.api.train.TrainingListener.NONE,
                        CheckpointPolicy.everyEpoch(dir)))
        .isInstanceOf(java.io.UncheckedIOException.class)
        .hasMessage("cannot create the checkpoint directory " + dir + ": not a directory");
  }
}
