package dev.lenet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example in local mode, in this JVM: Spark and lenet on the class path. */
class SparkBatchClassifyTest {

  @TempDir Path tmp;

  @Test
  void classifiesEveryFileIntoParquetAndCsvAndCountsTheBadOnes() throws Exception {
    ExampleImages files = ExampleImages.create(tmp);
    Path out = tmp.resolve("out");

    String printed = run(files.model.toString(), files.images.toString(), out.toString(), "--csv");

    assertThat(printed).startsWith(ExampleImages.IMAGES + ExampleImages.BAD + " images, 2 bad: ");
    assertThat(printed).contains("images/sec (local[*], ");
    assertThat(out.resolve("predictions")).isDirectoryContaining("glob:**.parquet");
    files.assertCsv(out.resolve("predictions.csv"));
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
