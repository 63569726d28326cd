package dev.lenet.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.lenet.api.image.ImageReader;
import dev.lenet.tf.TfModel;
import io.javalin.Javalin;
import io.javalin.http.HttpResponseException;
import io.javalin.util.JavalinBindException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * An HTTP server answering TensorFlow Serving's REST API for lenet model directories, so that
 * clients written for TensorFlow Serving work unchanged. Embed it so:
 *
 * <pre>{@code
 * try (LenetServer server =
 *     LenetServer.builder().model("fashion", Path.of("runs/a/model")).port(0).build().start()) {
 *   int port = server.port(); // POST http://127.0.0.1:<port>/v1/models/fashion:predict
 * }
 * }</pre>
 *
 * <p>Paths: {@code GET /v1/models/{name}} (status), {@code GET /v1/models/{name}/metadata}
 * (signature), {@code POST /v1/models/{name}:predict}, and each with {@code /versions/1} after the
 * name (a model directory is served as version 1). Beyond TensorFlow Serving: {@code POST
 * /v1/models/{name}:predictImage} (an image file; see {@code ImagePredictions}), {@code GET
 * /api/models} (the models' summaries and accuracy, for the page) and the page itself at {@code GET
 * /}. Errors answer {@code {"error": "..."}} with 400 (bad request), 404 (unknown model, version or
 * path), 401 (no valid token, when one is set), 413 (body over the limit), 500 or 503 (shutting
 * down).
 *
 * <p>Requests are answered concurrently; concurrent predict requests for a model are gathered into
 * one model call (see {@link Builder#batching}). {@link #close()} answers the requests waiting for
 * a batch, stops the server and then releases the models' native memory.
 */
public final class LenetServer implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LenetServer.class);

  /** The default address: loopback only, so nothing is exposed unless asked. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** TensorFlow Serving's REST port. */
  public static final int DEFAULT_PORT = 8501;

  /** The default largest request body: 4 MiB, about 500 images written as JSON. */
  public static final long DEFAULT_MAX_BODY_BYTES = 4L << 20;

  /** How long {@link #close()} waits for requests in flight, unless set: 10 seconds. */
  public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);

  /** The default largest batch of images one model call takes, as TF Serving's max_batch_size. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 256;

  /**
   * The default time a batch waits to fill, in microseconds: 0, a batch takes what is queued when a
   * worker becomes free, so that a lone request waits for nothing (see docs/serving.md).
   */
  public static final long DEFAULT_BATCH_TIMEOUT_MICROS = 0;

  /** The default number of batches run at once per model: two, as the model's own predict does. */
  public static final int DEFAULT_NUM_BATCH_THREADS = 2;

  /** The only version a model directory is served as. */
  static final String VERSION = "1";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Map<String, Path> modelDirs;
  private final String host;
  private final int requestedPort;
  private final long maxBodyBytes;
  private final String token;
  private final Consumer<String> accessLog;
  private final Duration shutdownGrace;
  private final ServerMetrics metrics;
  private final long maxImagePixels;
  private final Path runsDir;
  private final BatchOptions batching;
  private final ObjectMapper json = jsonMapper();
  private final PredictBody bodies = new PredictBody(json);

  /** The loaded models: filled by start() before the server listens; written only under lock. */
  private final Map<String, ServedModel> models = new java.util.concurrent.ConcurrentHashMap<>();

  /** Set once close() has let the requests in flight finish: later ones get 503. */
  private volatile boolean closed;

  private Javalin app;
  private RunsRoutes runs;

  private LenetServer(Builder b) {
    this.modelDirs = Map.copyOf(b.models);
    this.host = b.host;
    this.requestedPort = b.port;
    this.maxBodyBytes = b.maxBodyBytes;
    this.token = b.token;
    this.accessLog = b.accessLog == null ? AccessLog.slf4j() : b.accessLog;
    this.shutdownGrace = b.shutdownGrace;
    this.metrics = new ServerMetrics(modelDirs.keySet());
    this.maxImagePixels = b.maxImagePixels;
    this.runsDir = b.runs;
    this.batching =
        new BatchOptions(
            b.batching, b.maxBatchSize, b.batchTimeoutMicros, b.numBatchThreads, b.batchSizes);
  }

  /**
   * The server's JSON mapper: NaN and Infinity are numbers; one value per body; decimal numbers
   * parsed by Jackson's fast parser (the same doubles, in about half the time of {@code
   * Double.parseDouble}: most of a predict body is its 784 numbers).
   */
  static ObjectMapper jsonMapper() {
    return JsonMapper.builder()
        .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
        .build();
  }

  /** A builder; at least one model or a runs directory is required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Loads the models and starts listening.
   *
   * @throws dev.lenet.api.train.ModelFormatException naming the directory if a model cannot be
   *     loaded (models loaded before it are closed again)
   * @throws java.io.UncheckedIOException if the host and port cannot be listened on (in use, or an
   *     address of another machine)
   * @throws IllegalStateException if already started
   */
  public synchronized LenetServer start() {
    if (app != null) {
      throw new IllegalStateException("the server is already started");
    }
    try {
      for (Map.Entry<String, Path> e : new java.util.TreeMap<>(modelDirs).entrySet()) {
        models.put(
            e.getKey(),
            new ServedModel(
                e.getKey(),
                TfModel.load(e.getValue()),
                json,
                batching.alsoTelling(size -> metrics.batch(e.getKey(), size))));
      }
      runs = new RunsRoutes(runsDir, json);
      app = Javalin.create(this::configure);
      app.start(host, requestedPort);
    } catch (JavalinBindException e) {
      close();
      throw new UncheckedIOException(
          "cannot listen on "
              + host
              + ":"
              + requestedPort
              + ": the address is in use or not this machine's; choose another port (0 takes any"
              + " free one) or host",
          new BindException(e.getMessage()));
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  /** The port listened on (the free port chosen when built with port 0). */
  public synchronized int port() {
    if (app == null) {
      throw new IllegalStateException("the server is not started");
    }
    return app.port();
  }

  /** The names of the models served, in order. */
  public List<String> modelNames() {
    return List.copyOf(new java.util.TreeSet<>(modelDirs.keySet()));
  }

  /** The server's metrics, for code that calls the models (batching). */
  ServerMetrics metrics() {
    return metrics;
  }

  /** The served model {@code name}, or null: for tests in this package. */
  synchronized ServedModel served(String name) {
    return models.get(name);
  }

  /**
   * Stops accepting connections, lets requests in flight finish (up to the shutdown grace; batches
   * stop waiting to fill), releases the port, then closes the models; a request reaching a model
   * after that gets 503. Safe to call more than once.
   */
  @Override
  public synchronized void close() {
    try {
      if (runs != null) {
        runs.close(); // ends the event streams while the server can still finish them
      }
      // Requests in flight finish (Jetty's graceful stop, up to the grace period); batches stop
      // waiting to fill so that none of them waits out the batch timeout meanwhile.
      models.values().forEach(ServedModel::hurryBatching);
      if (app != null) {
        app.stop();
      }
    } finally {
      // Anything still queued (past the grace period) is answered; later requests get 503.
      closed = true;
      models.values().forEach(ServedModel::stopBatching);
      for (ServedModel m : models.values()) {
        m.close();
      }
      models.clear();
    }
  }

  private void configure(io.javalin.config.JavalinConfig config) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = maxBodyBytes;
    new OperationsRoutes(token, metrics, accessLog, shutdownGrace, modelNames(), json)
        .install(config);
    new ModelRoutes(models, () -> closed, modelDirs, json, bodies, maxBodyBytes, maxImagePixels)
        .register(config);
    WebPage.register(config);
    runs.register(config);
    config.routes.exception(
        ApiException.class, (e, ctx) -> JsonAnswers.error(ctx, json, e.status(), e.getMessage()));
    config.routes.exception(
        HttpResponseException.class,
        (e, ctx) -> JsonAnswers.error(ctx, json, e.getStatus(), e.getMessage()));
    config.routes.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("internal error answering {} {}", ctx.method(), ctx.path(), e);
          JsonAnswers.error(
              ctx,
              json,
              500,
              "internal error: "
                  + e.getClass().getSimpleName()
                  + ": "
                  + e.getMessage()
                  + " (the server's log has the details)");
        });
    config.routes.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            JsonAnswers.error(
                ctx,
                json,
                404,
                ctx.path().startsWith("/v1/")
                    ? "Malformed request: " + ctx.method() + " " + ctx.path()
                    : "no such page or endpoint: "
                        + ctx.method()
                        + " "
                        + ctx.path()
                        + "; the page is at /, the API under /v1/models/");
          }
        });
  }

  /** What to serve and where. */
  public static final class Builder {
    private final Map<String, Path> models = new LinkedHashMap<>();
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private String token;
    private Consumer<String> accessLog;
    private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
    private long maxImagePixels = ImageReader.DEFAULT_MAX_PIXELS;
    private Path runs;
    private boolean batching = true;
    private int maxBatchSize = DEFAULT_MAX_BATCH_SIZE;
    private long batchTimeoutMicros = DEFAULT_BATCH_TIMEOUT_MICROS;
    private int numBatchThreads = DEFAULT_NUM_BATCH_THREADS;
    private IntConsumer batchSizes = size -> {};

    private Builder() {}

    /**
     * Shows the runs in {@code dir} (a directory of run directories, as {@code lenet train --out}
     * writes them) on the page {@code /runs.html} and under {@code /api/runs}; none unless set. The
     * directory must exist when the server starts.
     */
    public Builder runs(Path dir) {
      if (dir == null) {
        throw new IllegalArgumentException("the runs directory must not be null");
      }
      this.runs = dir;
      return this;
    }

    /**
     * Whether concurrent predict requests for a model are gathered into one model call (on unless
     * set); off, each request calls the model itself.
     */
    public Builder batching(boolean on) {
      this.batching = on;
      return this;
    }

    /**
     * The most images a batch gathers, {@value #DEFAULT_MAX_BATCH_SIZE} unless set (TF Serving's
     * {@code max_batch_size}). A request with more images than this runs alone, whole.
     */
    public Builder maxBatchSize(int images) {
      if (images < 1) {
        throw new IllegalArgumentException("maxBatchSize must be at least 1, found " + images);
      }
      this.maxBatchSize = images;
      return this;
    }

    /**
     * How long a batch waits for more requests after its first, in microseconds, {@value
     * #DEFAULT_BATCH_TIMEOUT_MICROS} unless set (TF Serving's {@code batch_timeout_micros}). A full
     * batch runs at once; 0 takes what is queued when a batch thread becomes free.
     */
    public Builder batchTimeoutMicros(long micros) {
      if (micros < 0 || micros > 60_000_000L) {
        throw new IllegalArgumentException(
            "batchTimeoutMicros must be in [0, 60000000] (one minute), found " + micros);
      }
      this.batchTimeoutMicros = micros;
      return this;
    }

    /**
     * Batches run at once per model, each on its own thread, {@value #DEFAULT_NUM_BATCH_THREADS}
     * unless set (TF Serving's {@code num_batch_threads}); while one runs, the next gathers.
     */
    public Builder numBatchThreads(int threads) {
      if (threads < 1 || threads > 64) {
        throw new IllegalArgumentException("numBatchThreads must be in [1, 64], found " + threads);
      }
      this.numBatchThreads = threads;
      return this;
    }

    /**
     * Told the size in images of every model call a predict makes, before it runs: a batch's with
     * batching on, a request's with it off. Called on the thread making the call; it must be quick
     * and thread-safe (a metrics histogram, for example). None unless set.
     */
    public Builder batchSizeListener(IntConsumer listener) {
      if (listener == null) {
        throw new IllegalArgumentException("batchSizeListener must not be null");
      }
      this.batchSizes = listener;
      return this;
    }

    /**
     * Serves the model directory {@code dir} (as {@code lenet train} or {@code TrainedModel.save}
     * writes it) as {@code name}: letters, digits, '.', '_', '-', starting with a letter or digit.
     */
    public Builder model(String name, Path dir) {
      if (name == null || !NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "model name \""
                + name
                + "\" must be letters, digits, '.', '_' or '-', starting with a letter or digit");
      }
      if (models.containsKey(name)) {
        throw new IllegalArgumentException("model name \"" + name + "\" is given twice");
      }
      models.put(name, dir);
      return this;
    }

    /** The address to bind, {@value #DEFAULT_HOST} unless set. */
    public Builder host(String host) {
      if (host == null || host.isBlank()) {
        throw new IllegalArgumentException("host must not be empty");
      }
      this.host = host;
      return this;
    }

    /** The port, {@value #DEFAULT_PORT} unless set; 0 takes any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be in [0, 65535], found " + port);
      }
      this.port = port;
      return this;
    }

    /** The largest request body accepted; larger ones get 413. */
    public Builder maxBodyBytes(long bytes) {
      if (bytes < 1 || bytes > Integer.MAX_VALUE - 16) {
        throw new IllegalArgumentException(
            "maxBodyBytes must be in [1, " + (Integer.MAX_VALUE - 16) + "], found " + bytes);
      }
      this.maxBodyBytes = bytes;
      return this;
    }

    /**
     * Requires {@code Authorization: Bearer <token>} on every {@code /v1}, {@code /metrics} and
     * {@code /api} request (401 otherwise); {@code /healthz} and the page stay open. Null (the
     * default) requires none. The token is visible ASCII without spaces.
     */
    public Builder token(String token) {
      this.token = token == null ? null : BearerAuth.validate(token);
      return this;
    }

    /**
     * Where the access log's lines go, one per request (Common Log Format plus milliseconds);
     * unless set, the SLF4J logger {@code dev.lenet.serve.access} at INFO.
     */
    public Builder accessLog(Consumer<String> lines) {
      if (lines == null) {
        throw new IllegalArgumentException("accessLog must not be null; it defaults to SLF4J");
      }
      this.accessLog = lines;
      return this;
    }

    /**
     * How long {@link LenetServer#close()} lets requests in flight finish before it stops them,
     * {@link #DEFAULT_SHUTDOWN_GRACE} unless set; zero stops at once.
     */
    public Builder shutdownGrace(Duration grace) {
      if (grace == null || grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must be zero or more, found " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    /**
     * The most pixels (width times height) an image sent to {@code :predictImage} may declare in
     * its header; larger ones get 400 before they are decoded. {@link
     * ImageReader#DEFAULT_MAX_PIXELS} unless set, as {@code lenet predict --max-pixels}.
     */
    public Builder maxImagePixels(long pixels) {
      if (pixels < 1 || pixels > Integer.MAX_VALUE) {
        throw new IllegalArgumentException(
            "maxImagePixels must be in [1, " + Integer.MAX_VALUE + "], found " + pixels);
      }
      this.maxImagePixels = pixels;
      return this;
    }

    /**
     * A server ready to {@link LenetServer#start()}; nothing is loaded yet.
     *
     * @throws IllegalStateException if neither a model nor a runs directory was given
     */
    public LenetServer build() {
      if (models.isEmpty() && runs == null) {
        throw new IllegalStateException(
            "no model to serve and no runs directory: add a model with model(name, dir) or runs"
                + " with runs(dir)");
      }
      return new LenetServer(this);
    }
  }
}
