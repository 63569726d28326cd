package dev.lenet.examples;

import dev.lenet.spark.LenetClassifier;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
 * hdfs://...}); IMAGES_DIR and OUT_DIR are anything Spark reads and writes. A path without a scheme
 * is local ({@link Args}).
 */
public final class SparkBatchClassify {

  static final String USAGE = "usage: SparkBatchClassify MODEL_DIR IMAGES_DIR OUT_DIR [--csv]";

  private SparkBatchClassify() {}

  /**
   * The command line, checked before Spark starts. A path without a scheme is local: MODEL_DIR made
   * absolute, IMAGES_DIR and OUT_DIR as absolute {@code file:} paths (Spark would otherwise read
   * them on its default file system, HDFS on many clusters).
   *
   * @param csv where {@code --csv} writes, or null without it
   */
  record Args(String model, String images, String out, Path csv) {

    static Args parse(String... args) {
      List<String> positional = new ArrayList<>();
      boolean csv = false;
      for (String arg : args) {
        if (arg.equals("--csv")) {
          csv = true;
        } else if (arg.startsWith("-")) {
          throw new IllegalArgumentException("unknown option " + arg + "\n" + USAGE);
        } else {
          positional.add(arg);
        }
      }
      if (positional.size() != 3) {
        throw new IllegalArgumentException(USAGE);
      }
      String model = positional.get(0);
      if (scheme(model) == null) {
        model = requireDirectory(Path.of(model).toAbsolutePath()).toString();
      }
      String images = qualified(positional.get(1));
      if (scheme(images).equals("file")) {
        requireDirectory(localPath(images));
      }
      String out = qualified(positional.get(2));
      if (csv && !scheme(out).equals("file")) {
        throw new IllegalArgumentException("--csv writes a local file; OUT_DIR is " + out);
      }
      return new Args(model, images, out, csv ? localPath(out).resolve("predictions.csv") : null);
    }

    private static Path requireDirectory(Path dir) {
      if (!Files.isDirectory(dir)) {
        throw new IllegalArgumentException(dir + " is not a directory");
      }
      return dir;
    }
  }

  public static void main(String[] args) throws IOException {
    Args a;
    try {
      a = Args.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("SparkBatchClassify: " + e.getMessage());
      System.exit(2);
      return;
    }
    String model = a.model();
    String images = a.images();
    String out = a.out();
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
      if (a.csv() != null) {
        writeCsv(written, a.csv());
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

  /** The scheme of {@code path} as Spark reads paths ({@code hdfs}, {@code file}), or null. */
  private static String scheme(String path) {
    return new org.apache.hadoop.fs.Path(path).toUri().getScheme();
  }

  /** {@code path} with a scheme: a path without one is local, made absolute. */
  private static String qualified(String path) {
    return scheme(path) != null ? path : "file:" + Path.of(path).toAbsolutePath();
  }

  /** The local file system path of a {@code file:} path. */
  private static Path localPath(String path) {
    return Path.of(new org.apache.hadoop.fs.Path(path).toUri().getPath());
  }

  /** The rows, sorted by path, as CSV in a local file: fields quoted as RFC 4180 quotes them. */
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

  static String field(String s) {
    if (s == null) {
      return "";
    }
    boolean quote = s.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r');
    return quote ? '"' + s.replace("\"", "\"\"") + '"' : s;
  }
}
