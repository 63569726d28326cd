package dev.lenet.cli;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.io.FileErrors;
import dev.lenet.serve.LenetServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lenet serve}: trained models behind TensorFlow Serving's REST API, until stopped.
 *
 * <p>It runs until the process is told to stop (Ctrl-C, SIGTERM), then lets requests in flight
 * finish, releases the port and returns 0; in tests, interrupting the calling thread stops it the
 * same way.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serve trained models over HTTP with TensorFlow Serving's REST API.",
      "POST /v1/models/NAME:predict as TensorFlow Serving answers it; runs until Ctrl-C or SIGTERM."
    })
final class ServeCommand implements Callable<Integer> {

  /** The name a model given without one is served as. */
  static final String DEFAULT_NAME = "lenet";

  private static final Pattern NAMED = Pattern.compile("([A-Za-z0-9][A-Za-z0-9._-]*)=(.+)");

  @Spec CommandSpec command;

  @Option(
      names = "--model",
      paramLabel = "[NAME=]DIR",
      description = {
        "A model to serve: a run directory from 'lenet train' or the model directory inside it,"
            + " served as NAME (default: "
            + DEFAULT_NAME
            + "). Repeat for several models."
      })
  List<String> models = new ArrayList<>();

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      description =
          "The address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for"
              + " every interface).")
  String host = LenetServer.DEFAULT_HOST;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description = "The port (default: ${DEFAULT-VALUE}, TensorFlow Serving's; 0 = any free one).")
  int port = LenetServer.DEFAULT_PORT;

  @Option(
      names = "--token",
      paramLabel = "FILE",
      description =
          "A file holding a secret: every /v1 call, /metrics and the page's data then need"
              + " 'Authorization: Bearer SECRET' (the page asks for it).")
  Path token;

  @Option(
      names = "--runs",
      paramLabel = "DIR",
      description =
          "A directory of runs ('lenet train --out DIR/NAME'): the page's runs view shows their"
              + " curves, live while they train.")
  Path runs;

  @Option(
      names = "--max-batch-size",
      paramLabel = "N",
      description =
          "The most images one model call gathers from concurrent requests (default:"
              + " ${DEFAULT-VALUE}; TF Serving's max_batch_size).")
  int maxBatchSize = LenetServer.DEFAULT_MAX_BATCH_SIZE;

  @Option(
      names = "--batch-timeout-micros",
      paramLabel = "N",
      description =
          "How long a batch waits for more requests, in microseconds (default: ${DEFAULT-VALUE}:"
              + " it takes what is queued when the model is free).")
  long batchTimeoutMicros = LenetServer.DEFAULT_BATCH_TIMEOUT_MICROS;

  @Option(
      names = "--batch-threads",
      paramLabel = "N",
      description = "Batches run at once per model (default: ${DEFAULT-VALUE}).")
  int batchThreads = LenetServer.DEFAULT_NUM_BATCH_THREADS;

  @Option(
      names = "--no-batching",
      description = "Each request calls the model on its own instead of joining a batch.")
  boolean noBatching;

  @Option(
      names = "--max-body-bytes",
      paramLabel = "N",
      description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}, 4 MiB).")
  long maxBodyBytes = LenetServer.DEFAULT_MAX_BODY_BYTES;

  @Option(
      names = "--max-pixels",
      paramLabel = "N",
      description =
          "Images sent to :predictImage whose header declares more pixels get 400 before they are"
              + " decoded (default: ${DEFAULT-VALUE}).")
  long maxPixels = ImageReader.DEFAULT_MAX_PIXELS;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    if (models.isEmpty() && runs == null) {
      throw new UserError(
          "nothing to serve: give --model [NAME=]DIR (a run or model directory) or --runs DIR");
    }
    Map<String, Path> named = modelsByName();
    LenetServer.Builder builder =
        LenetServer.builder()
            .host(host)
            .port(port)
            .accessLog(out::println)
            .batching(!noBatching)
            .maxBatchSize(atLeast("--max-batch-size", maxBatchSize, 1))
            .batchTimeoutMicros(atLeast("--batch-timeout-micros", batchTimeoutMicros, 0))
            .numBatchThreads(atLeast("--batch-threads", batchThreads, 1))
            .maxBodyBytes(atLeast("--max-body-bytes", maxBodyBytes, 1))
            .maxImagePixels(atLeast("--max-pixels", maxPixels, 1));
    if (token != null) {
      builder.token(readToken(token));
    }
    if (runs != null) {
      builder.runs(runs);
    }
    named.forEach(builder::model);
    try (LenetServer server = builder.build().start()) {
      out.println(
          "lenet serve: serving "
              + describe(named)
              + " at http://"
              + (host.contains(":") ? "[" + host + "]" : host)
              + ":"
              + server.port()
              + "/ (Ctrl-C to stop)");
      out.flush();
      if (!awaitShutdown(server, out)) {
        return 0; // the JVM is shutting down: the hook closed the server and said so
      }
    }
    // Interrupted: the server is closed now; keep the interrupt for the caller.
    out.println("lenet serve: stopped");
    Thread.currentThread().interrupt();
    return 0;
  }

  /** The {@code --model} values as names to model directories, names checked unique. */
  private Map<String, Path> modelsByName() {
    Map<String, Path> byName = new LinkedHashMap<>();
    for (String value : models) {
      // NAME=DIR, unless the whole value is an existing directory (one named "lr=0.1", say).
      var m = NAMED.matcher(value);
      boolean named = m.matches() && !Files.isDirectory(Path.of(value));
      String name = named ? m.group(1) : DEFAULT_NAME;
      Path dir = ModelOption.modelDirectory(Path.of(named ? m.group(2) : value));
      if (byName.putIfAbsent(name, dir) != null) {
        throw new UserError(
            "two models are named '"
                + name
                + "' ("
                + byName.get(name)
                + " and "
                + dir
                + "); give each its own name with --model NAME=DIR");
      }
    }
    return byName;
  }

  /** The secret in {@code file}: its content without the line end an editor adds. */
  static String readToken(Path file) {
    String secret;
    try {
      secret = Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UserError("cannot read --token " + file + ": " + FileErrors.reason(e), e);
    }
    if (secret.isEmpty()) {
      throw new UserError(
          "--token "
              + file
              + " is empty; write a secret into it, e.g. with"
              + " 'openssl rand -hex 32 > "
              + file
              + "'");
    }
    if (!secret.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new UserError(
          "--token "
              + file
              + " holds spaces, control or non-ASCII characters;"
              + " a token is visible ASCII on one line, e.g. from 'openssl rand -hex 32'");
    }
    return secret;
  }

  private String describe(Map<String, Path> named) {
    List<String> parts = new ArrayList<>();
    named.forEach((name, dir) -> parts.add(name + " (" + dir + ")"));
    if (runs != null) {
      parts.add("the runs in " + runs);
    }
    return String.join(", ", parts);
  }

  /**
   * {@code value} if at least {@code min}; else a user error naming the flag (the builder's own
   * range checks, such as the batch timeout's one-minute ceiling, name the builder's option).
   */
  private static <T extends Number> T atLeast(String flag, T value, long min) {
    if (value.longValue() < min) {
      throw new UserError(flag + " must be at least " + min + ", found " + value);
    }
    return value;
  }

  /**
   * Waits until the JVM shuts down (Ctrl-C, SIGTERM: a shutdown hook closes the server, letting
   * requests in flight finish) or this thread is interrupted.
   *
   * @return true if interrupted (the caller closes the server), false after the hook closed it
   */
  private static boolean awaitShutdown(LenetServer server, PrintWriter out) {
    CountDownLatch closed = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              server.close();
              out.println("lenet serve: stopped");
              out.flush();
              closed.countDown();
            },
            "lenet-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      closed.await();
      return false;
    } catch (InterruptedException e) {
      return true;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run: it closes the server.
      }
    }
  }
}
