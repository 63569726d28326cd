package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands change no JVM-wide setting: charts and image reading used to set {@code
 * java.awt.headless} from static blocks. Only {@link Lenet#main}, the program's entry point, sets
 * it, for the command-line program alone.
 */
class NoSystemPropertiesTest {

  @TempDir Path tmp;

  static int lenet(Object... args) {
    String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
    return Lenet.run(
        strings, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false);
  }

  @Test
  void trainEvaluateAndPredictSetNoSystemProperty() throws Exception {
    Properties before = (Properties) System.getProperties().clone();
    Path data = SyntheticData.write(tmp.resolve("data"), 64, 16);
    Path run = tmp.resolve("run");
    assertThat(lenet("train", "--epochs", 1, "--batch-size", 16, "--data", data, "--out", run))
        .isZero();
    assertThat(lenet("evaluate", "--model", run, "--data", data, "--out", tmp.resolve("eval")))
        .isZero();
    assertThat(tmp.resolve("eval/confusion.png")).isRegularFile();
    Path png =
        Files.write(
            tmp.resolve("x.png"),
            TestImages.encode(TestImages.gray8(new byte[784], 28, 28), "png"));
    assertThat(lenet("predict", "--model", run, png)).isZero();
    Set<Object> changed = new TreeSet<>();
    for (Object key : System.getProperties().keySet()) {
      if (!Objects.equals(System.getProperty((String) key), before.getProperty((String) key))) {
        changed.add(key);
      }
    }
    // The JDK itself records a few lazily (the font manager, the time zone).
    changed.removeIf(key -> key.toString().startsWith("sun.") || key.equals("user.timezone"));
    assertThat(changed).isEmpty();
  }
}
