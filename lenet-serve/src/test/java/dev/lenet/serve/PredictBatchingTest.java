package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batching of concurrent predict requests, through a real HTTP client against servers on 127.0.0.1.
 * The batch timeouts here are long so that batches are formed by size alone: what a test sees does
 * not depend on how fast requests arrive.
 */
@Timeout(120)
class PredictBatchingTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int PIXELS = 28 * 28;
  private static final long MINUTE_MICROS = 60_000_000L;
  private static final float LOGIT_TOLERANCE = 1e-5f;

  private static Path modelDir;
  private static TfModel reference;

  @BeforeAll
  static void train() throws IOException {
    modelDir = ServingModel.save(tmp);
    reference = TfModel.load(modelDir);
  }

  @AfterAll
  static void close() {
    reference.close();
  }

  @Test
  void concurrentRequestsAreBatchedAndEachGetsItsOwnAnswer() throws Exception {
    int clients = 64;
    float[][] images = images(clients, 7);
    assertDistinguishable(images);
    Queue<Integer> batches = new ConcurrentLinkedQueue<>();
    try (LenetServer server =
        LenetServer.builder()
            .model("fashion", modelDir)
            .port(0)
            .maxBatchSize(8)
            .batchTimeoutMicros(MINUTE_MICROS) // batches of exactly 8: 64 clients fill 8 of them
            .batchSizeListener(batches::add)
            .build()
            .start()) {
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      try {
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (float[] image : images) {
          answers.add(pool.submit(() -> predictOk(server, image)));
        }
        for (int i = 0; i < clients; i++) {
          JsonNode p = answers.get(i).get().get("predictions");
          assertThat(p).hasSize(1);
          assertMatchesReference(images[i], p.get(0));
        }
      } finally {
        pool.shutdownNow();
      }
    }
    assertThat(batches).hasSize(8).containsOnly(8);
  }

  @Test
  void aRequestLargerThanTheMaxBatchRunsWhole() throws Exception {
    float[][] images = images(10, 8);
    Queue<Integer> batches = new ConcurrentLinkedQueue<>();
    try (LenetServer server =
        LenetServer.builder()
            .model("fashion", modelDir)
            .port(0)
            .maxBatchSize(4)
            .batchTimeoutMicros(MINUTE_MICROS)
            .batchSizeListener(batches::add)
            .build()
            .start()) {
      JsonNode p = predictOk(server, images).get("predictions");
      assertThat(p).hasSize(10);
      for (int i = 0; i < 10; i++) {
        assertMatchesReference(images[i], p.get(i));
      }
    }
    assertThat(batches).containsExactly(10);
  }

  @Test
  void withBatchingOffEachRequestCallsTheModelAlone() throws Exception {
    float[][] images = images(3, 9);
    Queue<Integer> batches = new ConcurrentLinkedQueue<>();
    try (LenetServer server =
        LenetServer.builder()
            .model("fashion", modelDir)
            .port(0)
            .batching(false)
            .batchSizeListener(batches::add)
            .build()
            .start()) {
      assertThat(server.served("fashion").batcher()).isNull();
      JsonNode p = predictOk(server, images).get("predictions");
      assertMatchesReference(images[2], p.get(2));
      predictOk(server, images[0]);
    }
    assertThat(batches).containsExactly(3, 1);
  }

  @Test
  void closeAnswersTheRequestsWaitingForABatch() throws Exception {
    float[][] images = images(3, 10);
    LenetServer server =
        LenetServer.builder()
            .model("fashion", modelDir)
            .port(0)
            .batchTimeoutMicros(MINUTE_MICROS) // the batch of 256 would wait a minute to fill
            .build()
            .start();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    try {
      for (float[] image : images) {
        answers.add(HTTP.sendAsync(request(server, image), HttpResponse.BodyHandlers.ofString()));
      }
      PredictBatcher batcher = server.served("fashion").batcher();
      while (batcher.waiting() < images.length) {
        Thread.sleep(10);
      }
    } finally {
      server.close(); // must neither wait for the batch timeout nor drop the waiting requests
    }
    for (int i = 0; i < images.length; i++) {
      HttpResponse<String> r = answers.get(i).get();
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertMatchesReference(images[i], JSON.readTree(r.body()).at("/predictions/0"));
    }
  }

  @Test
  void batchOptionsAreChecked() {
    LenetServer.Builder b = LenetServer.builder();
    assertThatThrownBy(() -> b.maxBatchSize(0)).hasMessageContaining("maxBatchSize");
    assertThatThrownBy(() -> b.batchTimeoutMicros(-1)).hasMessageContaining("found -1");
    assertThatThrownBy(() -> b.numBatchThreads(0)).hasMessageContaining("numBatchThreads");
    assertThatThrownBy(() -> b.batchSizeListener(null)).hasMessageContaining("null");
    assertThat(LenetServer.DEFAULT_MAX_BATCH_SIZE).isEqualTo(256);
  }

  // ---- helpers

  private static HttpRequest request(LenetServer server, float[]... images) throws IOException {
    float[][][][] nhwc = new float[images.length][28][28][1];
    for (int i = 0; i < images.length; i++) {
      for (int p = 0; p < PIXELS; p++) {
        nhwc[i][p / 28][p % 28][0] = images[i][p];
      }
    }
    String body = "{\"instances\": " + JSON.writeValueAsString(nhwc) + "}";
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/v1/models/fashion:predict"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static JsonNode predictOk(LenetServer server, float[]... images) throws Exception {
    HttpResponse<String> r =
        HTTP.send(request(server, images), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  /**
   * {@code n} random images, of brightnesses 1/n, 2/n, ..., 1, so that the model tells them apart.
   */
  private static float[][] images(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] out = new float[n][PIXELS];
    for (int i = 0; i < n; i++) {
      double brightness = (i + 1.0) / n;
      for (int p = 0; p < PIXELS; p++) {
        out[i][p] = (float) (brightness * random.nextDouble());
      }
    }
    return out;
  }

  /**
   * The model tells the images apart: any two differ in some logit by more than twice the tolerance
   * of {@link #assertMatchesReference}, so that an answer given to the wrong request fails it.
   */
  private static void assertDistinguishable(float[][] images) {
    List<float[]> logits = new ArrayList<>();
    for (float[] image : images) {
      logits.add(reference.signature(image, 1).logits(0));
    }
    for (int i = 0; i < logits.size(); i++) {
      for (int j = i + 1; j < logits.size(); j++) {
        double diff = 0;
        for (int c = 0; c < 10; c++) {
          diff = Math.max(diff, Math.abs(logits.get(i)[c] - logits.get(j)[c]));
        }
        assertThat(diff).as("images %d and %d", i, j).isGreaterThan(2 * LOGIT_TOLERANCE);
      }
    }
  }

  /** The answer is the loaded model's own: its logits and {@code predict}'s probabilities. */
  private static void assertMatchesReference(float[] image, JsonNode prediction) {
    float[] logits = reference.signature(image, 1).logits(0);
    Prediction expected = reference.predict(image);
    assertThat(prediction.get("logits")).hasSize(10);
    assertThat(prediction.get("probabilities")).hasSize(10);
    for (int c = 0; c < 10; c++) {
      assertThat((float) prediction.get("logits").get(c).asDouble())
          .isCloseTo(logits[c], within(LOGIT_TOLERANCE));
      assertThat((float) prediction.get("probabilities").get(c).asDouble())
          .isCloseTo(expected.probabilities().get(c), within(1e-6f));
    }
  }
}
