package dev.lenet.spark;

import dev.lenet.api.train.ModelFormatException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * A model directory named by a URI ({@code hdfs://}, {@code s3a://}, {@code file:}, ...), copied
 * through Hadoop's {@code FileSystem}, as Spark reads its own files, into a fresh local temporary
 * directory that TensorFlow can load.
 */
final class ModelCopy {

  /** The subdirectory of {@link #toLocal}'s directory that holds the model. */
  static final String MODEL = "model";

  private ModelCopy() {}

  /**
   * The URI {@code path} is if it has a scheme, read as Spark reads paths (Hadoop's {@code Path}:
   * {@code file:/my models} too); empty for a plain local path.
   */
  static Optional<URI> uri(String path) {
    try {
      URI uri = new org.apache.hadoop.fs.Path(path).toUri();
      return uri.getScheme() == null ? Optional.empty() : Optional.of(uri);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The Hadoop configuration this JVM reads with: {@code new Configuration()} (the {@code
   * core-site.xml} and {@code hdfs-site.xml} on the classpath) plus every {@code spark.hadoop.*}
   * entry of the Spark configuration, without the prefix, as Spark builds its own.
   */
  static Configuration hadoopConfiguration() {
    Configuration conf = new Configuration();
    SparkEnv env = SparkEnv.get();
    if (env != null) {
      for (Tuple2<String, String> entry : env.conf().getAllWithPrefix("spark.hadoop.")) {
        conf.set(entry._1(), entry._2());
      }
    }
    return conf;
  }

  /**
   * Copies the directory {@code uri} names into a new temporary directory {@code lenet-model-*}.
   *
   * @return the temporary directory; the model is in its subdirectory {@link #MODEL}
   * @throws ModelFormatException naming {@code uri} if it cannot be read as a directory
   */
  static Path toLocal(URI uri) {
    Path dir;
    try {
      dir = Files.createTempDirectory("lenet-model-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary directory for " + uri, e);
    }
    try {
      org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
      FileSystem fs = FileSystem.get(uri, hadoopConfiguration());
      FileStatus status = fs.getFileStatus(source);
      if (!status.isDirectory()) {
        throw new ModelFormatException(
            "model directory "
                + uri
                + " is a file; set the model path to the directory a lenet model was saved in");
      }
      // The raw local file system: no .crc checksum files beside the copied ones.
      fs.copyToLocalFile(
          false, source, new org.apache.hadoop.fs.Path(dir.resolve(MODEL).toUri()), true);
      return dir;
    } catch (IOException | RuntimeException e) {
      delete(dir);
      if (e instanceof ModelFormatException) {
        throw (ModelFormatException) e;
      }
      throw new ModelFormatException(
          "model directory "
              + uri
              + " could not be read through Hadoop's FileSystem ("
              + e
              + "); check that it names a directory a lenet model was saved in and that every"
              + " executor can read it: the file system's jar on the classpath, its settings in"
              + " core-site.xml or spark.hadoop.* entries",
          e);
    }
  }

  /** Deletes {@code dir} and all it holds; says on standard error what it could not delete. */
  static void delete(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | UncheckedIOException e) {
      System.err.println("lenet-spark: could not delete the model copy " + dir + ": " + e);
    }
  }
}
