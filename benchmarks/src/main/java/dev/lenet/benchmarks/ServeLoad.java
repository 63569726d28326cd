package dev.lenet.benchmarks;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.tf.TfModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded load run against lenet-serve on loopback: for each number of clients and each batching
 * mode, starts the server as a process of its own (ServeLoadServer), sends single-image predict
 * requests in TensorFlow Serving's row format (real Fashion-MNIST test images) from that many
 * concurrent clients, and prints throughput, p50/p99 latency, errors, the server's mean batch and
 * peak RSS, beside the model's batch-256 predict rate measured in this process as {@code lenet
 * bench} does. It stops by itself.
 *
 * <p>Usage: {@code ServeLoad --model DIR [--clients 16,64,256] [--requests 20000] [--batching
 * on,off] [--batch-timeout-micros 0] [--max-batch-size 256] [--batch-threads 2] [--data DIR]}
 */
public final class ServeLoad {

  private static final int DISTINCT_IMAGES = 1000;

  private ServeLoad() {}

  public static void main(String[] args) throws Exception {
    Path model = null;
    Path data = Path.of("/usr/share/datasets/fashion-mnist");
    List<Integer> clients = List.of(16, 64, 256);
    int requests = 20_000;
    List<String> modes = List.of("on", "off");
    List<Long> timeouts = List.of(0L);
    int maxBatch = 256;
    int threads = 2;
    for (int i = 0; i < args.length; i += 2) {
      String v = i + 1 < args.length ? args[i + 1] : usage("missing value for " + args[i]);
      switch (args[i]) {
        case "--model":
          model = Path.of(v);
          break;
        case "--data":
          data = Path.of(v);
          break;
        case "--clients":
          clients = Arrays.stream(v.split(",")).map(Integer::valueOf).toList();
          break;
        case "--requests":
          requests = Integer.parseInt(v);
          break;
        case "--batching":
          modes = List.of(v.split(","));
          break;
        case "--batch-timeout-micros":
          timeouts = Arrays.stream(v.split(",")).map(Long::valueOf).toList();
          break;
        case "--max-batch-size":
          maxBatch = Integer.parseInt(v);
          break;
        case "--batch-threads":
          threads = Integer.parseInt(v);
          break;
        default:
          usage("unknown option " + args[i]);
      }
    }
    if (model == null) {
      usage("--model DIR is required");
    }
    if (Files.isDirectory(model.resolve("model"))) {
      model = model.resolve("model"); // a run directory
    }
    ImageDataset test = FashionMnist.load(data).test();
    List<String> bodies = new ArrayList<>();
    for (int i = 0; i < DISTINCT_IMAGES; i++) {
      bodies.add(instancesBody(test, i));
    }
    double batchRate = predict256Rate(model, test);
    System.out.printf(
        Locale.ROOT,
        "model %s; %d requests per setting, single images as JSON rows; batch-256 predict"
            + " in-process: %.0f images/s%n",
        model,
        requests,
        batchRate);
    System.out.println(
        "| clients | batching | timeout us | requests/s | p50 ms | p99 ms | errors | mean batch |"
            + " server peak RSS MB | of batch-256 rate |");
    System.out.println("|---|---|---|---|---|---|---|---|---|---|");
    for (int n : clients) {
      for (String mode : modes) {
        for (long timeout : mode.equals("on") ? timeouts : List.of(0L)) {
          Result r = run(model, mode, maxBatch, timeout, threads, n, requests, bodies);
          System.out.printf(
              Locale.ROOT,
              "| %d | %s | %s | %.0f | %.2f | %.2f | %d | %.1f | %.0f | %.0f%% |%n",
              n,
              mode,
              mode.equals("on") ? Long.toString(timeout) : "-",
              r.throughput,
              r.p50,
              r.p99,
              r.errors,
              r.meanBatch,
              r.peakRssMb,
              100 * r.throughput / batchRate);
          if (r.firstError != null) {
            System.out.println("  first error: " + r.firstError);
          }
        }
      }
    }
  }

  private static <T> T usage(String problem) {
    System.err.println("serve-load: " + problem);
    System.err.println(
        "usage: bench/serve-load --model DIR [--clients 16,64,256] [--requests 20000]"
            + " [--batching on,off] [--batch-timeout-micros 0[,500,...]] [--max-batch-size 256]"
            + " [--batch-threads 2] [--data DIR]");
    System.exit(2);
    return null;
  }

  private record Result(
      double throughput,
      double p50,
      double p99,
      int errors,
      String firstError,
      double meanBatch,
      double peakRssMb) {}

  private static Result run(
      Path model,
      String mode,
      int maxBatch,
      long timeout,
      int threads,
      int clients,
      int requests,
      List<String> bodies)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    String opts = System.getenv("LENET_JAVA_OPTS");
    command.addAll(
        List.of(
            // bench/serve-load runs from the repository's root, where ./lenet's flags are.
            (opts == null ? "@jvm.options" : opts).split("\\s+")));
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            ServeLoadServer.class.getName(),
            model.toString(),
            mode,
            Integer.toString(maxBatch),
            Long.toString(timeout),
            Integer.toString(threads)));
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    pb.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process server = pb.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
      String line = out.readLine();
      if (line == null || !line.startsWith("port ")) {
        throw new IllegalStateException("the server did not start: " + line);
      }
      URI uri =
          URI.create("http://127.0.0.1:" + line.substring(5).trim() + "/v1/models/lenet:predict");
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      load(http, uri, clients, Math.max(clients * 4, requests / 10), bodies); // warm-up
      long start = System.nanoTime();
      Load measured = load(http, uri, clients, requests, bodies);
      double seconds = (System.nanoTime() - start) / 1e9;
      double peakRss = vmHwmKb(server.pid()) / 1024.0;
      server.toHandle().destroy(); // SIGTERM, keeping the pipes: the server prints its call count
      double meanBatch = Double.NaN;
      for (String l; (l = out.readLine()) != null; ) {
        if (l.startsWith("calls ")) {
          String[] f = l.split(" ");
          meanBatch = Double.parseDouble(f[3]) / Double.parseDouble(f[1]);
        }
      }
      server.waitFor();
      double[] latency = measured.latencyMs;
      Arrays.sort(latency);
      return new Result(
          requests / seconds,
          latency[latency.length / 2],
          latency[(int) (latency.length * 0.99)],
          measured.errors.get(),
          measured.firstError.get(),
          meanBatch,
          peakRss);
    } finally {
      server.destroyForcibly();
    }
  }

  private record Load(
      double[] latencyMs, AtomicInteger errors, AtomicReference<String> firstError) {}

  /**
   * {@code requests} predict requests from {@code clients} threads, each waiting for its answer.
   */
  private static Load load(HttpClient http, URI uri, int clients, int requests, List<String> bodies)
      throws InterruptedException {
    double[] latency = new double[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      Thread t =
          new Thread(
              () -> {
                for (int i; (i = next.getAndIncrement()) < requests; ) {
                  HttpRequest request =
                      HttpRequest.newBuilder(uri)
                          .header("Content-Type", "application/json")
                          .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i % bodies.size())))
                          .build();
                  long s = System.nanoTime();
                  try {
                    HttpResponse<String> r =
                        http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() != 200) {
                      errors.incrementAndGet();
                      firstError.compareAndSet(null, r.statusCode() + " " + r.body());
                    }
                  } catch (IOException e) {
                    errors.incrementAndGet();
                    firstError.compareAndSet(null, e.toString());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  latency[i] = (System.nanoTime() - s) / 1e6;
                }
              });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    return new Load(latency, errors, firstError);
  }

  /**
   * Image {@code i} as {@code {"instances": [[[[p], ...28], ...28]]}}, pixels bytes / 255: the body
   * this benchmark sends (also timed alone by {@code PredictJsonBench}).
   */
  public static String instancesBody(ImageDataset test, int i) {
    StringBuilder b = new StringBuilder("{\"instances\": [[");
    for (int y = 0; y < 28; y++) {
      b.append(y == 0 ? "[" : ",[");
      for (int x = 0; x < 28; x++) {
        if (x > 0) {
          b.append(',');
        }
        b.append('[').append((float) (test.pixel(i, y * 28 + x) / 255.0)).append(']');
      }
      b.append(']');
    }
    return b.append("]]}").toString();
  }

  /** Images per second of {@code predict} on batches of 256, measured as lenet bench does. */
  private static double predict256Rate(Path dir, ImageDataset test) {
    float[] batch = new float[256 * 784];
    for (int i = 0; i < 256; i++) {
      for (int p = 0; p < 784; p++) {
        batch[i * 784 + p] = test.pixel(i, p) / 255f;
      }
    }
    try (TfModel model = TfModel.load(dir)) {
      for (int i = 0; i < 20; i++) {
        model.predict(batch, 256);
      }
      int rounds = 50;
      long t = System.nanoTime();
      for (int i = 0; i < rounds; i++) {
        model.predict(batch, 256);
      }
      return 256.0 * rounds / ((System.nanoTime() - t) / 1e9);
    }
  }

  private static long vmHwmKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }
}
