package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --spec} with a file that cannot be read says why: before, the message gave the path twice
 * ("cannot read spec file X: X").
 */
class SpecFileCliTest {

  @TempDir Path tmp;

  @Test
  void summaryOfAMissingSpecSaysNoSuchFile() {
    Path missing = tmp.resolve("nonexist.json");
    CliTest.Result r = lenet("summary", "--spec", missing);
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
    CliTest.Result r = lenet("train", "--spec", tmp, "--data", tmp, "--out", tmp.resolve("run"));
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err())
        .isEqualTo(
            "lenet: cannot read spec file " + tmp + ": is a directory" + System.lineSeparator());
    assertThat(tmp.resolve("run")).doesNotExist();
  }
}
