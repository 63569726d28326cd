package dev.lenet.api.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.train.Checkpoint;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.HaltAt;
import dev.lenet.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stages of an atomic checkpoint write, as a crash test's hook sees them on disk. */
class CheckpointsTest {

  @TempDir Path dir;

  static Checkpoint after(int epoch) {
    List<EpochMetrics> history = new ArrayList<>();
    for (int e = 1; e <= epoch; e++) {
      history.add(new EpochMetrics(e, 1.0 / e, 0.5, 0.5, 1000, 1));
    }
    return new Checkpoint(
        LeNet.classic(),
        TrainingConfig.builder().epochs(3).build(),
        List.of("a", "b"),
        epoch,
        history,
        Map.of("w", new float[] {epoch, 2}));
  }

  @Test
  void theHookIsToldEachStageWithTheDirectoryAsACrashThereWouldLeaveIt() throws IOException {
    Checkpoints.write(dir, after(1));
    List<String> seen = new ArrayList<>();
    CheckpointHook recorder = (stage, epoch) -> seen.add(stage + " " + epoch + " " + list(dir));

    Path written = Checkpoints.write(dir, after(2), recorder);

    assertThat(seen)
        .containsExactly(
            "FILES_WRITTEN 2 [.epoch-0002.partial, epoch-0001]",
            "RENAMED 2 [epoch-0001, epoch-0002]");
    assertThat(written).isEqualTo(dir.resolve("epoch-0002"));
    assertThat(list(dir)).containsExactly("epoch-0002");
    assertThat(Checkpoints.latest(dir).orElseThrow().tensors().get("w")).containsExactly(2, 2);
  }

  @Test
  void aWriteThatFailsBeforeTheRenameLeavesThePreviousCheckpointNewest() throws IOException {
    Checkpoints.write(dir, after(1));
    CheckpointHook diskFull =
        (stage, epoch) -> {
          throw new IOException("disk full at " + stage);
        };

    assertThatThrownBy(() -> Checkpoints.write(dir, after(2), diskFull))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full at FILES_WRITTEN");

    assertThat(Checkpoints.latest(dir).orElseThrow().epoch()).isEqualTo(1);
    // The next write replaces the partial directory.
    Checkpoints.write(dir, after(2));
    assertThat(list(dir)).containsExactly("epoch-0002");
  }

  @Test
  void aPolicyCarriesItsHookAndNoneByDefault() {
    CheckpointHook hook = (stage, epoch) -> {};
    CheckpointPolicy every = CheckpointPolicy.everyEpoch(dir);
    assertThat(every.hook()).isSameAs(CheckpointHook.NONE);
    assertThat(CheckpointPolicy.NONE.hook()).isSameAs(CheckpointHook.NONE);
    CheckpointPolicy hooked = new CheckpointPolicy(dir, 2).withHook(hook);
    assertThat(hooked.hook()).isSameAs(hook);
    assertThat(hooked.directory()).isEqualTo(dir);
    assertThat(hooked.everyEpochs()).isEqualTo(2);
    assertThat(HaltAt.parse("RENAMED:2")).isEqualTo(new HaltAt(CheckpointHook.Stage.RENAMED, 2));
    assertThat(new HaltAt(CheckpointHook.Stage.FILES_WRITTEN, 3)).hasToString("FILES_WRITTEN:3");
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
