package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec file that cannot be read says why; before, Java's message was the bare path, so the error
 * read "cannot read spec file X: X".
 */
class SpecFileErrorsTest {

  @TempDir Path tmp;

  @Test
  void aMissingFileSaysSo() {
    Path missing = tmp.resolve("nonexist.json");
    assertThatThrownBy(() -> SpecJson.read(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read spec file " + missing + ": no such file or directory");
  }

  @Test
  void aDirectorySaysSo() {
    assertThatThrownBy(() -> SpecJson.read(tmp))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessage("cannot read spec file " + tmp + ": is a directory");
  }
}
