package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line logs through slf4j-simple: no "no SLF4J providers" notice, warnings and errors
 * to stderr, INFO chatter (Jetty's and the library's access logger) off: {@code lenet serve} prints
 * its access log itself. Checked in a fresh JVM, since SLF4J reads its configuration once per JVM.
 */
class LoggingBackendTest {

  @TempDir Path tmp;

  @Test
  void warningsAndErrorsGoToStderrAndInfoIsQuiet() throws Exception {
    Path out = tmp.resolve("out.txt");
    Path err = tmp.resolve("err.txt");
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                FreshJvm.class.getName())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    assertThat(p.waitFor()).isZero();
    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(stdout).isEqualTo("factory org.slf4j.simple.SimpleLoggerFactory\n");
    assertThat(stderr)
        .doesNotContain("SLF4J")
        .contains("WARN Server - a warning")
        .contains("ERROR Server - an error")
        .doesNotContain("127.0.0.1 GET /")
        .doesNotContain("jetty chatter")
        .doesNotContain("debug");
  }

  /** Logs a line at each level from a Jetty-named logger and one access-log line. */
  static final class FreshJvm {
    public static void main(String[] args) {
      System.out.println("factory " + LoggerFactory.getILoggerFactory().getClass().getName());
      Logger jetty = LoggerFactory.getLogger("org.eclipse.jetty.server.Server");
      jetty.debug("debug");
      jetty.info("jetty chatter");
      jetty.warn("a warning");
      jetty.error("an error");
      LoggerFactory.getLogger("dev.lenet.serve.access").info("127.0.0.1 GET /");
    }
  }
}
