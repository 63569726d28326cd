package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --data DIR} and {@code LENET_DATA} name the one directory train and evaluate read: a
 * missing, empty or incomplete one, or a file, is exit 2 naming it and the missing files, never a
 * silent fall-back to another copy of the data (such as /usr/share/datasets/fashion-mnist).
 */
class NamedDataDirectoryCliTest {

  @TempDir static Path tmp;
  static Path data;
  static Path model;

  /** With no environment at all: no LENET_DATA, no HOME. */
  static CliTest.Result lenet(Object... args) {
    return CliTest.lenet(Map.of(), args);
  }

  static CliTest.Result lenet(Map<String, String> environment, Object... args) {
    return CliTest.lenet(environment, args);
  }

  static Map<String, String> lenetData(Path dir) {
    return Map.of("LENET_DATA", dir.toString());
  }

  @BeforeAll
  static void trainOnce() throws IOException {
    data = SyntheticData.write(tmp.resolve("data"), 128, 32);
    Path run = tmp.resolve("run");
    CliTest.Result r =
        lenet("train", "--epochs", 1, "--batch-size", 64, "--data", data, "--out", run);
    assertThat(r.status()).as(r.err()).isZero();
    model = run.resolve("model");
  }

  /** Bad directories, each with what the message must say about it. */
  static List<Object[]> badDirectories() throws IOException {
    Path missing = tmp.resolve("missing");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    Path file = Files.writeString(tmp.resolve("file"), "not a directory");
    Path three = SyntheticData.write(tmp.resolve("three"), 16, 8);
    Files.deleteIfExists(three.resolve("t10k-labels-idx1-ubyte.gz"));
    return List.of(
        new Object[] {missing, "does not exist"},
        new Object[] {empty, "lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]"},
        new Object[] {file, "is not a directory"},
        new Object[] {three, "lacks t10k-labels-idx1-ubyte[.gz]:"});
  }

  private static void assertRefused(CliTest.Result r, Path dir, String what, String how) {
    assertThat(r.status()).as(r.out() + r.err()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .startsWith("lenet: " + dir + " (" + how + ") " + what)
        .doesNotContain("\tat ")
        .hasLineCount(1);
    assertThat(r.out()).doesNotContain("training").doesNotContain("accuracy");
  }

  @Test
  void trainRefusesABadDataDirectory() throws IOException {
    int i = 0;
    for (Object[] bad : badDirectories()) {
      Path dir = (Path) bad[0];
      String what = (String) bad[1];
      Path out = tmp.resolve("train-" + i++);
      assertRefused(
          lenet("train", "--epochs", 1, "--data", dir, "--out", out),
          dir,
          what,
          "the directory given");
      assertRefused(
          lenet(lenetData(dir), "train", "--epochs", 1, "--out", out.resolveSibling(out + "-env")),
          dir,
          what,
          "$LENET_DATA");
    }
  }

  @Test
  void evaluateRefusesABadDataDirectory() throws IOException {
    for (Object[] bad : badDirectories()) {
      Path dir = (Path) bad[0];
      String what = (String) bad[1];
      assertRefused(
          lenet("evaluate", "--model", model, "--data", dir), dir, what, "the directory given");
      assertRefused(lenet(lenetData(dir), "evaluate", "--model", model), dir, what, "$LENET_DATA");
    }
  }

  @Test
  void lenetDataIsReadWhenNoDataOptionIsGiven() {
    CliTest.Result r = lenet(lenetData(data), "evaluate", "--model", model);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains("32 images");
  }

  @Test
  void theDataOptionWinsOverLenetData() {
    CliTest.Result r =
        lenet(lenetData(tmp.resolve("missing")), "evaluate", "--model", model, "--data", data);
    assertThat(r.status()).as(r.err()).isZero();
  }
}
