package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged example through Spark's submit entry point, as on a cluster: a JVM with Spark alone
 * on its class path, lenet and TensorFlow delivered by lenet-spark's assembly jar in {@code
 * --jars}.
 */
class SparkSubmitIT {

  @TempDir Path tmp;

  @Test
  void runsThroughSparkSubmitWithTheAssemblyJar() throws Exception {
    ExampleImages files = ExampleImages.create(tmp);
    Path out = tmp.resolve("out");
    String sparkClasspath =
        Files.readString(Path.of(System.getProperty("lenet.spark.classpath"))).strip();
    assertThat(sparkClasspath).doesNotContain("lenet").doesNotContain("tensorflow");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + System.getProperty("lenet.spark.args"));
    command.add("-Dlog4j2.configurationFile=" + System.getProperty("log4j2.configurationFile"));
    command.addAll(List.of("-cp", sparkClasspath, "org.apache.spark.deploy.SparkSubmit"));
    command.addAll(List.of("--master", "local[2]", "--class", SparkBatchClassify.class.getName()));
    command.addAll(List.of("--conf", "spark.ui.enabled=false"));
    command.addAll(List.of("--jars", System.getProperty("lenet.assembly.jar")));
    command.add(System.getProperty("lenet.example.jar"));
    command.addAll(List.of(files.model.toString(), files.images.toString(), out.toString()));
    command.add("--csv");

    Path log = tmp.resolve("spark-submit.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean done = process.waitFor(5, TimeUnit.MINUTES);
    String output = read(log);
    assertThat(done).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    assertThat(output).contains(ExampleImages.IMAGES + ExampleImages.BAD + " images, 2 bad: ");
    assertThat(output).contains("(local[2], ");
    files.assertCsv(out.resolve("predictions.csv"));
  }

  private static String read(Path log) throws IOException {
    return Files.readString(log, StandardCharsets.UTF_8);
  }
}
