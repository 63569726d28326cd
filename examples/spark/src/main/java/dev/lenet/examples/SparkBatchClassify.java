package dev.lenet.examples;

import dev.lenet.spark.LenetClassifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Classify a directory of images on Apache Spark and write one row per file as Parquet: {@code
 * SparkBatchClassify MODEL_DIR IMAGES_DIR OUT_DIR [--csv]}.
 *
 * <p>Every file under IMAGES_DIR (and its subdirectories) is read with Spark's {@code binaryFile}
 * source and classified by lenet-spark's {@link LenetClassifier} with the model saved in MODEL_DIR.
 * {@code OUT_DIR/predictions/} (Parquet, replaced if it exists) gets {@code path}, {@code class},
 * {@code probability} and, for a file that is not an image the model can take, {@code error}
 * instead of a class. With {@code --csv}, the same rows also go to {@code OUT_DIR/predictions.csv},
 * written by this program from the Parquet files (so OUT_DIR must be local then). The last line
 * printed gives the rows, the bad rows, the time to list the files and to classify them, and images
 * per second over both (Spark's start-up not counted).
 *
 * <p>Run it in local mode (Spark on the class path, {@code local[*]} unless {@code spark.master} is
 * set) or through {@code spark-submit} with lenet-spark's assembly jar: see docs/spark.md.
 * MODEL_DIR is a directory on every executor or a URI Spark's file system layer reads ({@code
 * hdfs://...}); IMAGES_DIR and OUT_DIR are anything Spark reads and writes.
 */
public final class SparkBatchClassify {

  private SparkBatchClassify() {}

  public static void main(String[] args) throws IOException {
    List<String> positional = List.of(args).stream().filter(a -> !a.equals("--csv")).toList();
    if (positional.size() != 3) {
      System.err.println("usage: SparkBatchClassify MODEL_DIR IMAGES_DIR OUT_DIR [--csv]");
      System.exit(2);
    }
    boolean csv = positional.size() < args.length;
    String model = absolute(positional.get(0));
    String images = absolute(positional.get(1));
    String out = absolute(positional.get(2));
    if (csv && hasScheme(out) && !out.startsWith("file:")) {
      exit("--csv writes a local file; OUT_DIR is " + out);
    }
    for (String dir : List.of(model, images)) {
      if (!hasScheme(dir) && !Files.isDirectory(Path.of(dir))) {
        exit(dir + " is not a directory");
      }
    }

    SparkSession.Builder builder = SparkSession.builder().appName("SparkBatchClassify");
    if (System.getProperty("spark.master") == null) { // spark-submit sets it
      builder.master("local[*]");
    }
    SparkSession spark = builder.getOrCreate();
    // Spark packs files into partitions as if each cost 4 MB to open, which makes a task (and an
    // output file) of about 30 small images. Unless told otherwise, count 64 KB per file: tasks
    // of thousands of small images, classified in batches of 256.
    if (!spark.conf().contains("spark.sql.files.openCostInBytes")) {
      spark.conf().set("spark.sql.files.openCostInBytes", "65536");
    }
    try {
      long start = System.nanoTime();
      Dataset<Row> files =
          spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(images);
      double listed = (System.nanoTime() - start) / 1e9;
      LenetClassifier classifier = new LenetClassifier().setModelPath(model);
      classifier
          .transform(files)
          .select(
              functions.col("path"),
              functions.col("className").as("class"),
              functions.col("probability"),
              functions.col("error"))
          .write()
          .mode(SaveMode.Overwrite)
          .parquet(out + "/predictions");
      double seconds = (System.nanoTime() - start) / 1e9;

      Dataset<Row> written = spark.read().parquet(out + "/predictions");
      long rows = written.count();
      long bad = written.filter(functions.col("error").isNotNull()).count();
      if (csv) {
        Path dir = hasScheme(out) ? Path.of(URI.create(out)) : Path.of(out);
        writeCsv(written, dir.resolve("predictions.csv"));
      }
      System.out.printf(
          Locale.ROOT,
          "%,d images, %,d bad: listed in %.2f s, classified and written in %.2f s:"
              + " %,.0f images/sec (%s, %d partitions)%n",
          rows,
          bad,
          listed,
          seconds - listed,
          rows / seconds,
          spark.sparkContext().master(),
          files.rdd().getNumPartitions());
    } finally {
      spark.stop();
    }
  }

  private static void exit(String message) {
    System.err.println("SparkBatchClassify: " + message);
    System.exit(2);
  }

  /** A local path made absolute (the executors' working directory is not ours); a URI as it is. */
  private static String absolute(String path) {
    return hasScheme(path) ? path : Path.of(path).toAbsolutePath().toString();
  }

  /** Whether {@code path} starts with a URI scheme such as {@code hdfs:} or {@code file:}. */
  private static boolean hasScheme(String path) {
    return path.matches("[A-Za-z][A-Za-z0-9+.-]+:.*");
  }

  /** The rows, sorted by path, as CSV (RFC 4180) in a local file. */
  private static void writeCsv(Dataset<Row> rows, Path file) {
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("path,class,probability,error\n");
      Iterator<Row> it = rows.orderBy("path").toLocalIterator();
      while (it.hasNext()) {
        Row r = it.next();
        w.write(field(r.getString(0)) + "," + field(r.getString(1)) + ",");
        w.write((r.isNullAt(2) ? "" : Float.toString(r.getFloat(2))) + ",");
        w.write(field(r.getString(3)) + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String field(String s) {
    if (s == null) {
      return "";
    }
    boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0;
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
