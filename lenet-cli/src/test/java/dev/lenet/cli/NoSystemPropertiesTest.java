package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.image.TestImages;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
 * it, for the command-line program alone. Checked in a fresh JVM: in the test JVM, earlier tests
 * would already have run any static block.
 */
class NoSystemPropertiesTest {

  @TempDir Path tmp;

  @Test
  void trainEvaluateAndPredictSetNoSystemProperty() throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FreshJvm.class.getName(),
                tmp.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    assertThat(out.lines().filter(l -> l.startsWith("changed: "))).containsExactly("changed: []");
  }

  /** Runs train, evaluate and predict, then prints the system properties they changed. */
  static final class FreshJvm {
    public static void main(String[] args) throws Exception {
      Path tmp = Path.of(args[0]);
      Properties before = (Properties) System.getProperties().clone();
      Path data = SyntheticData.write(tmp.resolve("data"), 64, 16);
      Path run = tmp.resolve("run");
      require(lenet("train", "--epochs", 1, "--batch-size", 16, "--data", data, "--out", run));
      require(lenet("evaluate", "--model", run, "--data", data, "--out", tmp.resolve("eval")));
      require(Files.isRegularFile(tmp.resolve("eval/confusion.png")) ? 0 : 1);
      Path png =
          Files.write(
              tmp.resolve("x.png"),
              TestImages.encode(TestImages.gray8(new byte[784], 28, 28), "png"));
      require(lenet("predict", "--model", run, png));
      Set<Object> changed = new TreeSet<>();
      for (Object key : System.getProperties().keySet()) {
        if (!Objects.equals(System.getProperty((String) key), before.getProperty((String) key))) {
          changed.add(key);
        }
      }
      // The JDK itself records a few lazily (the font manager, the time zone).
      changed.removeIf(key -> key.toString().startsWith("sun.") || key.equals("user.timezone"));
      System.out.println("changed: " + changed);
    }

    private static void require(int status) {
      if (status != 0) {
        throw new IllegalStateException("a command failed with status " + status);
      }
    }

    private static int lenet(Object... args) {
      String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
      StringWriter err = new StringWriter();
      int status =
          Lenet.run(strings, new PrintWriter(new StringWriter()), new PrintWriter(err), false);
      System.out.print(err);
      return status;
    }
  }
}
