package dev.lenet.benchmarks;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.spec.Shape;
import dev.lenet.tf.TfModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The single-JVM side of {@code bench/spark-classify --compare}: the same image files classified
 * without Spark, as {@code lenet predict} would, and where the time goes. Every file is read,
 * decoded by {@link ImageReader} on one thread, and the good ones go through {@code predict} in
 * batches (TensorFlow uses every core for a batch). The first pass is timed whole, with the model's
 * loading (a cold start, as one run of a program); then, in three more passes: reading the files,
 * decoding them, and the model on the decoded batches; prints each part's median as images/sec and
 * their sum as one rate.
 *
 * <p>Usage: {@code ClassifyFilesBench IMAGES_DIR MODEL_DIR [BATCH]}.
 */
public final class ClassifyFilesBench {

  private ClassifyFilesBench() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ClassifyFilesBench IMAGES_DIR MODEL_DIR [BATCH]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : 256;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    }
    long start = System.nanoTime();
    try (TfModel model = TfModel.load(Path.of(args[1]))) {
      // The first pass, in a fresh JVM, with the model's loading: what one run of a program pays.
      double[] first = run(files, model, batch);
      double cold = (System.nanoTime() - start) / 1e9;
      double[][] passes = {
        run(files, model, batch), run(files, model, batch), run(files, model, batch)
      };
      double[] t = new double[4];
      for (int k = 0; k < t.length; k++) { // each figure's median over the three passes
        double[] v = {passes[0][k], passes[1][k], passes[2][k]};
        Arrays.sort(v);
        t[k] = v[1];
      }
      double total = t[0] + t[1] + t[2];
      int good = (int) t[3];
      System.out.printf(
          Locale.ROOT,
          "single JVM: %,d files, %,d bad; first pass with the model's loading %.2f s:"
              + " %,.0f images/sec%n"
              + "then, the median of 3 passes for each part:%n"
              + "  read    %6.2f s  %,9.0f images/sec (one thread)%n"
              + "  decode  %6.2f s  %,9.0f images/sec (one thread)%n"
              + "  model   %6.2f s  %,9.0f images/sec (batches of %d, %d cores)%n"
              + "  the sum %6.2f s  %,9.0f images/sec; decoding %.0f%% of it%n",
          files.size(),
          files.size() - (int) first[3],
          cold,
          files.size() / cold,
          t[0],
          files.size() / t[0],
          t[1],
          files.size() / t[1],
          t[2],
          good / t[2],
          batch,
          Runtime.getRuntime().availableProcessors(),
          total,
          files.size() / total,
          100 * t[1] / total);
    }
  }

  /**
   * Reads, decodes and classifies {@code files}: the seconds reading, decoding and in the model,
   * and the number of files decoded.
   */
  private static double[] run(List<Path> files, TfModel model, int batch) throws IOException {
    Shape input = model.spec().input();
    int size = (int) input.size();
    long t0 = System.nanoTime();
    List<byte[]> bytes = new ArrayList<>(files.size());
    for (Path file : files) {
      bytes.add(Files.readAllBytes(file));
    }
    long t1 = System.nanoTime();
    float[] pixels = new float[files.size() * size];
    int good = decode(files, bytes, input, pixels);
    long t2 = System.nanoTime();
    for (int start = 0; start < good; start += batch) {
      int n = Math.min(batch, good - start);
      float[] x = new float[n * size];
      System.arraycopy(pixels, start * size, x, 0, x.length);
      model.predict(x, n);
    }
    long t3 = System.nanoTime();
    return new double[] {(t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9, good};
  }

  /** Decodes every file it can into {@code pixels}, packed; returns how many it decoded. */
  private static int decode(List<Path> files, List<byte[]> bytes, Shape input, float[] pixels) {
    ImageReader reader = ImageReader.standard();
    int size = (int) input.size();
    int good = 0;
    for (int i = 0; i < files.size(); i++) {
      try {
        float[] x =
            reader.read(new ByteArrayInputStream(bytes.get(i)), files.get(i).toString(), input);
        System.arraycopy(x, 0, pixels, good * size, size);
        good++;
      } catch (RuntimeException e) {
        // A bad file: counted, as Spark's error rows are.
      }
    }
    return good;
  }
}
