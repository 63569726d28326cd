package dev.lenet.benchmarks;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.TrainingData;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Times loading and parsing the whole Fashion-MNIST (four {@code .gz} IDX files, 70,000 images) and
 * prints one JSON line: the first load in a fresh JVM, then the median and best of the repeats.
 *
 * <p>Usage: {@code DataLoadBench [DIR] [REPEATS]}; DIR defaults to the normal search order.
 */
public final class DataLoadBench {

  private DataLoadBench() {}

  public static void main(String[] args) {
    Path dir = args.length > 0 ? Path.of(args[0]) : null;
    int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    double[] seconds = new double[repeats];
    int images = 0;
    for (int i = 0; i < repeats; i++) {
      long start = System.nanoTime();
      TrainingData data = FashionMnist.loader().directory(dir).load();
      seconds[i] = (System.nanoTime() - start) / 1e9;
      images = data.train().size() + data.test().size();
    }
    double first = seconds[0];
    double[] rest = Arrays.copyOfRange(seconds, Math.min(1, repeats - 1), repeats);
    Arrays.sort(rest);
    System.out.printf(
        Locale.ROOT,
        "{\"bench\":\"fashion-mnist-load\",\"images\":%d,\"first_seconds\":%.3f,"
            + "\"median_seconds\":%.3f,\"best_seconds\":%.3f,\"repeats\":%d,\"cores\":%d}%n",
        images,
        first,
        rest[rest.length / 2],
        rest[0],
        repeats,
        Runtime.getRuntime().availableProcessors());
  }
}
