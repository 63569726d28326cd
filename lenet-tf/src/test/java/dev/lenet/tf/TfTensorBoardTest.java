package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.train.EpochMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;

class TfTensorBoardTest {

  @TempDir Path tmp;

  @Test
  void writesOneEventPerEpochWithTheTrainingMetrics() throws IOException {
    Path dir = tmp.resolve("tensorboard");
    TfTensorBoard board = new TfTensorBoard(dir);
    List<EpochMetrics> history;
    try (TfModel model =
        new TfTrainer()
            .train(
                TrainingTest.smallNet(),
                TrainingTest.QUADRANTS,
                TrainingTest.quick().epochs(2).build(),
                board)) {
      history = model.history();
    }
    List<Path> files = EventFiles.in(dir);
    assertThat(files).containsExactly(board.file().orElseThrow());
    assertThat(files.get(0).getFileName().toString())
        .matches("events\\.out\\.tfevents\\.\\d{10}\\.[^/]+");

    List<Event> events = EventFiles.read(files.get(0));
    assertThat(events).hasSize(4);
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    assertThat(events.get(1).getSessionLog().getStatus()).isEqualTo(SessionLog.SessionStatus.START);
    assertThat(events.get(1).getStep()).isEqualTo(1);
    for (int i = 0; i < 2; i++) {
      Event e = events.get(2 + i);
      EpochMetrics m = history.get(i);
      assertThat(e.getStep()).isEqualTo(m.epoch()).isEqualTo(i + 1);
      assertThat(e.getWallTime()).isGreaterThan(1.5e9);
      assertThat(EventFiles.scalars(e))
          .containsExactly(
              Map.entry("loss", (float) m.trainLoss()),
              Map.entry("train_acc", (float) m.trainAccuracy()),
              Map.entry("test_acc", (float) m.testAccuracy()),
              Map.entry("examples_per_sec", (float) m.examplesPerSecond()));
    }
  }

  @Test
  void aResumedRunWritesANewFileThatReplacesWhatFollowsItsCheckpoint() throws IOException {
    EpochMetrics one = new EpochMetrics(1, 2.0, 0.5, 0.5, 100, 1);
    TfTensorBoard first = new TfTensorBoard(tmp);
    first.onEpoch(one);
    first.onEpoch(new EpochMetrics(2, 1.0, 0.6, 0.6, 100, 1)); // after the checkpoint at 1
    TfTensorBoard resumed = TfTensorBoard.resuming(tmp, List.of(one));
    resumed.onEpoch(new EpochMetrics(2, 0.9, 0.7, 0.7, 100, 1));

    List<Path> files = EventFiles.in(tmp);
    assertThat(files)
        .containsExactly(first.file().orElseThrow(), resumed.file().orElseThrow())
        .doesNotHaveDuplicates();
    assertThat(EventFiles.read(files.get(0))).hasSize(4);
    List<Event> again = EventFiles.read(files.get(1));
    assertThat(again).hasSize(4);
    assertThat(again.get(0).getFileVersion()).isEqualTo("brain.Event:2");
    assertThat(again.get(1).getSessionLog().getStatus()).isEqualTo(SessionLog.SessionStatus.START);
    assertThat(again.get(1).getStep()).isEqualTo(1);
    assertThat(again.get(2).getStep()).isEqualTo(1);
    assertThat(again.get(3).getStep()).isEqualTo(2);
    // As TensorBoard shows it: the epoch run again replaces the one run before.
    var steps = EventFiles.scalarsByStep(tmp);
    assertThat(steps.keySet()).containsExactly(1L, 2L);
    assertThat(steps.get(1L)).containsEntry("loss", 2.0f);
    assertThat(steps.get(2L)).containsEntry("loss", 0.9f).containsEntry("test_acc", 0.7f);
  }

  @Test
  void nothingIsWrittenBeforeTheFirstEpoch() {
    Path dir = tmp.resolve("tensorboard");
    TfTensorBoard board = new TfTensorBoard(dir);
    board.onStart(null, null);
    assertThat(dir).doesNotExist();
    assertThat(board.file()).isEmpty();
  }

  @Test
  void theReaderNoticesACorruptedByte() throws IOException {
    TfTensorBoard board = new TfTensorBoard(tmp);
    board.onEpoch(new EpochMetrics(1, 2.0, 0.5, 0.5, 100, 1));
    Path file = board.file().orElseThrow();
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length - 10] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> EventFiles.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("bad data CRC");
  }

  @Test
  void anUnwritableDirectoryIsAnErrorThatNamesIt() throws IOException {
    Path notADir = Files.writeString(tmp.resolve("file"), "x");
    TfTensorBoard board = new TfTensorBoard(notADir);
    assertThatThrownBy(() -> board.onEpoch(new EpochMetrics(1, 2.0, 0.5, 0.5, 100, 1)))
        .hasMessageContaining("cannot write TensorBoard events in " + notADir);
  }

  @Test
  void writingLoadsNoNativeTensorFlow() throws Exception {
    Path log = tmp.resolve("classes.log");
    Process p =
        Subprocess.start(
            log, EventsWorker.class, List.of("-verbose:class"), tmp.resolve("tb").toString());
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(log);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("WROTE ").contains("org.tensorflow.proto.Event ");
    assertThat(out)
        .doesNotContain("org.bytedeco.javacpp.Loader")
        .doesNotContain("org.tensorflow.internal.c_api")
        .doesNotContain("org.tensorflow.TensorFlow ")
        .doesNotContain("org.tensorflow.Session ");
  }
}
