package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.HaltAt;
import dev.lenet.tf.EventFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lenet train --resume}: a run killed mid-way ends where an uninterrupted one does. */
class ResumeTest {

  @TempDir Path tmp;

  @Test
  void aKilledRunResumesToTheUninterruptedResult() throws Exception {
    Path data = SyntheticData.write(tmp.resolve("data"), 512, 128);
    Object[] recipe = {"--epochs", 3, "--threads", 1, "--lr", 0.5, "--data", data};

    Path whole = tmp.resolve("whole");
    CliTest.Result uninterrupted = CliTest.lenet(concat("train", "--out", whole, recipe));
    assertThat(uninterrupted.status()).as(uninterrupted.err()).isZero();

    // The same run in its own JVM, halted right after the second checkpoint is in place.
    Path run = tmp.resolve("run");
    HaltAt halt = new HaltAt(CheckpointHook.Stage.RENAMED, 2);
    Process p = crashingLenetProcess(halt, concat("train", "--out", run, recipe));
    assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as(Files.readString(tmp.resolve("killed.log")))
        .isEqualTo(HaltAt.STATUS);
    assertThat(run.resolve("checkpoints/epoch-0002")).isDirectory();
    assertThat(run.resolve("model")).doesNotExist();

    CliTest.Result resumed = CliTest.lenet("train", "--resume", run, "--data", data);
    assertThat(resumed.status()).as(resumed.err()).isZero();
    assertThat(resumed.out()).contains("resuming " + run + " after epoch 2 of 3");
    JsonNode a = new ObjectMapper().readTree(whole.resolve("metrics.json").toFile()).get("epochs");
    JsonNode b = new ObjectMapper().readTree(run.resolve("metrics.json").toFile()).get("epochs");
    assertThat(b).hasSize(3);
    for (int e = 0; e < 3; e++) {
      for (String field : List.of("loss", "train_acc", "test_acc")) {
        assertThat(b.get(e).get(field).asDouble())
            .as("epoch %d %s", e + 1, field)
            .isEqualTo(a.get(e).get(field).asDouble());
      }
    }
    assertThat(run.resolve("model/saved_model/saved_model.pb")).isRegularFile();

    // The resumed run wrote a second events file; read as TensorBoard reads them, the files hold
    // each epoch once, epoch 2 included, which the killed run checkpointed but did not record.
    Path board = run.resolve("tensorboard");
    assertThat(EventFiles.in(board)).hasSize(2);
    var scalars = EventFiles.scalarsByStep(board);
    assertThat(scalars.keySet()).containsExactly(1L, 2L, 3L);
    for (int e = 0; e < 3; e++) {
      assertThat(scalars.get(e + 1L))
          .containsEntry("loss", (float) b.get(e).get("loss").asDouble())
          .containsEntry("train_acc", (float) b.get(e).get("train_acc").asDouble())
          .containsEntry("test_acc", (float) b.get(e).get("test_acc").asDouble());
    }
  }

  @Test
  void resumeRefusesRecipeFlagsAndEmptyRuns() throws IOException {
    CliTest.Result r = CliTest.lenet("train", "--resume", tmp, "--lr", 0.1);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains("--lr cannot be combined with --resume");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    r = CliTest.lenet("train", "--resume", empty);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains("has no checkpoint to resume from");
  }

  private static Object[] concat(Object... parts) {
    List<Object> out = new ArrayList<>();
    for (Object p : parts) {
      if (p instanceof Object[] array) {
        out.addAll(List.of(array));
      } else {
        out.add(p);
      }
    }
    return out.toArray();
  }

  /** {@code lenet ARGS} in a JVM of its own that halts at {@code halt} ({@link CrashingLenet}). */
  private Process crashingLenetProcess(HaltAt halt, Object... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command =
        new ArrayList<>(List.of(java, "-cp", cp, CrashingLenet.class.getName(), halt.toString()));
    for (Object a : args) {
      command.add(String.valueOf(a));
    }
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("TF_CPP_MIN_LOG_LEVEL", "2");
    return pb.redirectOutput(tmp.resolve("killed.log").toFile()).start();
  }
}
