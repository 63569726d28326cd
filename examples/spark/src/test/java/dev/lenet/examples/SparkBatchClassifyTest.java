package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.examples.SparkBatchClassify.Args;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in local mode, in this JVM: Spark and lenet on the class path. */
class SparkBatchClassifyTest {

  @TempDir Path tmp;

  @Test
  void classifiesEveryFileIntoParquetAndCsvAndCountsTheBadOnes() throws Exception {
    ExampleImages files = ExampleImages.create(tmp);
    Path out = tmp.resolve("out dir"); // a space: the path goes to Spark as "file:/.../out dir"

    String printed = run(files.model.toString(), files.images.toString(), out.toString(), "--csv");

    assertThat(printed).startsWith(ExampleImages.IMAGES + ExampleImages.BAD + " images, 2 bad: ");
    assertThat(printed).contains("images/sec (local[*], ");
    assertThat(out.resolve("predictions")).isDirectoryContaining("glob:**.parquet");
    files.assertCsv(out.resolve("predictions.csv"));
  }

  @Test
  void checksItsArgumentsBeforeSparkStarts() throws Exception {
    String model = Files.createDirectories(tmp.resolve("model")).toString();
    String images = Files.createDirectories(tmp.resolve("my images")).toString();
    String missing = tmp.resolve("missing").toString();

    assertThatThrownBy(() -> Args.parse(model, images)).hasMessage(SparkBatchClassify.USAGE);
    assertThatThrownBy(() -> Args.parse(model, images, "out", "--cvs"))
        .hasMessageStartingWith("unknown option --cvs");
    assertThatThrownBy(() -> Args.parse(missing, images, "out"))
        .hasMessage(missing + " is not a directory");
    assertThatThrownBy(() -> Args.parse(model, missing, "out"))
        .hasMessage(missing + " is not a directory");
    assertThatThrownBy(() -> Args.parse(model, images, "hdfs://nn/out", "--csv"))
        .hasMessage("--csv writes a local file; OUT_DIR is hdfs://nn/out");

    Args local = Args.parse(model, images, tmp.resolve("out").toString(), "--csv");
    assertThat(local.model()).isEqualTo(model);
    assertThat(local.images()).isEqualTo("file:" + images);
    assertThat(local.csv()).isEqualTo(tmp.resolve("out").resolve("predictions.csv"));
    Args remote = Args.parse("hdfs://nn/models/a", "hdfs://nn/scans", "s3a://bucket/out");
    assertThat(List.of(remote.model(), remote.images(), remote.out()))
        .containsExactly("hdfs://nn/models/a", "hdfs://nn/scans", "s3a://bucket/out");
    assertThat(remote.csv()).isNull();
  }

  @Test
  void quotesCsvFieldsAsRfc4180Does() {
    assertThat(SparkBatchClassify.field(null)).isEmpty();
    assertThat(SparkBatchClassify.field("file:/a/b.png")).isEqualTo("file:/a/b.png");
    assertThat(SparkBatchClassify.field("a,b")).isEqualTo("\"a,b\"");
    assertThat(SparkBatchClassify.field("say \"no\"")).isEqualTo("\"say \"\"no\"\"\"");
    assertThat(SparkBatchClassify.field("two\nlines")).isEqualTo("\"two\nlines\"");
    assertThat(SparkBatchClassify.field("cr\r")).isEqualTo("\"cr\r\"");
  }

  private static String run(String... args) throws Exception {
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      SparkBatchClassify.main(args);
    } finally {
      System.setOut(stdout);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
