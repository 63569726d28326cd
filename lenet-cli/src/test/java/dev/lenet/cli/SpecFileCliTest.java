package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spec} with a file that cannot be read says why: before, the message gave the path twice
 * ("cannot read spec file X: X").
 */
class SpecFileCliTest {

  @TempDir Path tmp;

  record Result(int status, String out, String err) {}

  static Result lenet(Object... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    int status = Lenet.run(strings, new PrintWriter(out), new PrintWriter(err), false);
    return new Result(status, out.toString(), err.toString());
  }

  @Test
  void summaryOfAMissingSpecSaysNoSuchFile() {
    Path missing = tmp.resolve("nonexist.json");
    Result r = lenet("summary", "--spec", missing);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "lenet: cannot read spec file "
                + missing
                + ": no such file or directory"
                + System.lineSeparator());
  }

  @Test
  void trainWithADirectoryAsSpecSaysIsADirectory() {
    Result r = lenet("train", "--spec", tmp, "--data", tmp, "--out", tmp.resolve("run"));
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "lenet: cannot read spec file " + tmp + ": is a directory" + System.lineSeparator());
    assertThat(tmp.resolve("run")).doesNotExist();
  }
}
