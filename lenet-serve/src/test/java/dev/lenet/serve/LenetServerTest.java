package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.train.ModelFormatException;
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
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TensorFlow Serving's REST API, through a real HTTP client, against a server on 127.0.0.1 serving
 * a LeNet trained for one epoch on synthetic data.
 */
class LenetServerTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final int PIXELS = 28 * 28;

  private static Path modelDir;
  private static TfModel reference;
  private static LenetServer server;
  private static String base;

  @BeforeAll
  static void trainAndServe() throws IOException {
    modelDir = ServingModel.save(tmp);
    reference = TfModel.load(modelDir);
    server = LenetServer.builder().model("fashion", modelDir).port(0).build().start();
    base = "http://127.0.0.1:" + server.port() + "/v1/models/";
  }

  @AfterAll
  static void stop() {
    server.close();
    reference.close();
  }

  // ---- status and metadata

  @Test
  void statusSaysVersionOneIsAvailable() throws Exception {
    for (String path : List.of("fashion", "fashion/versions/1")) {
      Answer a = get(path);
      assertThat(a.status).isEqualTo(200);
      assertThat(a.contentType).startsWith("application/json");
      JsonNode v = a.json.get("model_version_status").get(0);
      assertThat(v.get("version").asText()).isEqualTo("1");
      assertThat(v.get("state").asText()).isEqualTo("AVAILABLE");
      assertThat(v.get("status").get("error_code").asText()).isEqualTo("OK");
    }
  }

  @Test
  void metadataDescribesTheServingSignature() throws Exception {
    for (String path : List.of("fashion/metadata", "fashion/versions/1/metadata")) {
      Answer a = get(path);
      assertThat(a.status).isEqualTo(200);
      assertThat(a.json.at("/model_spec/name").asText()).isEqualTo("fashion");
      assertThat(a.json.at("/model_spec/version").asText()).isEqualTo("1");
      JsonNode sig = a.json.at("/metadata/signature_def/signature_def/serving_default");
      assertThat(sig.get("method_name").asText()).isEqualTo("tensorflow/serving/predict");
      JsonNode images = sig.at("/inputs/images");
      assertThat(images.get("dtype").asText()).isEqualTo("DT_FLOAT");
      assertThat(sizes(images)).containsExactly("-1", "28", "28", "1");
      assertThat(sig.get("outputs").fieldNames())
          .toIterable()
          .containsExactly("logits", "probabilities");
      assertThat(sizes(sig.at("/outputs/probabilities"))).containsExactly("-1", "10");
    }
  }

  // ---- predict

  @Test
  void rowFormatAnswersTheModelsPredictionsPerInstance() throws Exception {
    float[][] images = images(3, 1);
    Answer a =
        post("fashion:predict", "{\"instances\": " + JSON.writeValueAsString(nhwc(images)) + "}");
    assertThat(a.status).as(a.body).isEqualTo(200);
    JsonNode predictions = a.json.get("predictions");
    assertThat(predictions).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertMatchesReference(
          images[i], predictions.get(i).get("logits"), predictions.get(i).get("probabilities"));
    }
  }

  @Test
  void rowFormatAcceptsNamedInputsAndTheSignatureName() throws Exception {
    float[][] images = images(2, 2);
    String instances =
        "[{\"images\": "
            + JSON.writeValueAsString(nhwc(images)[0])
            + "}, {\"images\": "
            + JSON.writeValueAsString(nhwc(images)[1])
            + "}]";
    Answer a =
        post(
            "fashion/versions/1:predict",
            "{\"signature_name\": \"serving_default\", \"instances\": " + instances + "}");
    assertThat(a.status).as(a.body).isEqualTo(200);
    assertMatchesReference(
        images[1], a.json.at("/predictions/1/logits"), a.json.at("/predictions/1/probabilities"));
  }

  @Test
  void columnarFormatAnswersOneTensorPerOutput() throws Exception {
    float[][] images = images(4, 3);
    String tensor = JSON.writeValueAsString(nhwc(images));
    for (String inputs : List.of(tensor, "{\"images\": " + tensor + "}")) {
      Answer a = post("fashion:predict", "{\"inputs\": " + inputs + "}");
      assertThat(a.status).as(a.body).isEqualTo(200);
      JsonNode outputs = a.json.get("outputs");
      assertThat(outputs.get("logits")).hasSize(4);
      for (int i = 0; i < 4; i++) {
        assertMatchesReference(
            images[i], outputs.get("logits").get(i), outputs.get("probabilities").get(i));
      }
    }
  }

  @Test
  void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
    int clients = 8;
    float[][] images = images(clients, 4);
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    try {
      List<Future<Answer>> answers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        float[][][] one = nhwc(new float[][] {images[i]})[0];
        String body = "{\"instances\": [" + JSON.writeValueAsString(one) + "]}";
        answers.add(pool.submit(() -> post("fashion:predict", body)));
      }
      for (int i = 0; i < clients; i++) {
        Answer a = answers.get(i).get();
        assertThat(a.status).as(a.body).isEqualTo(200);
        assertMatchesReference(
            images[i],
            a.json.at("/predictions/0/logits"),
            a.json.at("/predictions/0/probabilities"));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- errors

  @Test
  void unknownModelsVersionsAndPathsAre404() throws Exception {
    assertError(get("shoes"), 404, "Servable not found", "shoes");
    assertError(get("shoes/metadata"), 404, "Servable not found", "shoes");
    assertError(post("shoes:predict", "{\"instances\": []}"), 404, "Servable not found", "shoes");
    assertError(get("fashion/versions/2"), 404, "Specific(fashion, 2)");
    assertError(post("fashion/versions/7:predict", "{}"), 404, "Specific(fashion, 7)");
    assertError(get("fashion/labels"), 404, "Malformed request");
    assertError(post("fashion:explain", "{}"), 404, "Malformed request");
    assertError(post("fashion", "{}"), 404, "Malformed request");
    Answer other =
        send(HttpRequest.newBuilder(URI.create(base.replace("/v1/models/", "/v2"))).GET());
    assertThat(other.status).isEqualTo(404);
    assertThat(other.json.get("error").asText()).isNotEmpty();
  }

  @Test
  void malformedJsonIs400WithThePosition() throws Exception {
    assertError(
        post("fashion:predict", "{\"instances\": [1, 2"), 400, "JSON Parse error", "line 1");
    assertError(post("fashion:predict", "{} {}"), 400, "JSON Parse error");
    assertError(post("fashion:predict", ""), 400, "body is empty");
    assertError(post("fashion:predict", "[1, 2]"), 400, "JSON object");
  }

  @Test
  void requestsWithoutExactlyOneFormatAre400() throws Exception {
    String t = JSON.writeValueAsString(nhwc(images(1, 5)));
    assertError(post("fashion:predict", "{}"), 400, "neither");
    assertError(
        post("fashion:predict", "{\"instances\": " + t + ", \"inputs\": " + t + "}"), 400, "both");
    assertError(
        post("fashion:predict", "{\"instance\": " + t + "}"), 400, "unknown field \"instance\"");
    assertError(post("fashion:predict", "{\"instances\": []}"), 400, "empty");
    assertError(post("fashion:predict", "{\"instances\": 3}"), 400, "must be a list");
    assertError(
        post("fashion:predict", "{\"signature_name\": \"train\", \"instances\": " + t + "}"),
        400,
        "\"train\" not found");
    assertError(
        post("fashion:predict", "{\"instances\": [{\"pixels\": 1}]}"),
        400,
        "unknown input \"pixels\"");
  }

  @Test
  void wrongShapesAre400NamingTheDimension() throws Exception {
    float[][][][] good = nhwc(images(1, 6));
    // 27 rows instead of 28
    float[][][] shortImage = java.util.Arrays.copyOf(good[0], 27);
    assertError(
        post("fashion:predict", "{\"instances\": [" + JSON.writeValueAsString(shortImage) + "]}"),
        400,
        "instance 0: expected a list of 28",
        "found a list of 27");
    // a flat list of 784 pixels
    assertError(
        post(
            "fashion:predict",
            "{\"instances\": [" + JSON.writeValueAsString(new float[PIXELS]) + "]}"),
        400,
        "instance 0: expected a list of 28",
        "found a list of 784");
    // two channels in one pixel
    good[0][3][4] = new float[] {0.5f, 0.5f};
    assertError(
        post("fashion:predict", "{\"inputs\": " + JSON.writeValueAsString(good) + "}"),
        400,
        "inputs[0][3][4]: expected a list of 1",
        "found a list of 2");
  }

  @Test
  void badPixelValuesAre400NamingThePixel() throws Exception {
    String image = JSON.writeValueAsString(nhwc(images(1, 7))[0]);
    String nan = image.replaceFirst("\\[\\[\\[[^\\]]*\\]", "[[[NaN]");
    assertError(
        post("fashion:predict", "{\"instances\": [" + nan + "]}"),
        400,
        "pixel [0][0][0] is NaN",
        "[0, 1]");
    String big = image.replaceFirst("\\[\\[\\[[^\\]]*\\]", "[[[1.5]");
    assertError(
        post("fashion:predict", "{\"instances\": [" + big + "]}"), 400, "pixel [0][0][0] is 1.5");
    String negative = image.replaceFirst("\\[\\[\\[[^\\]]*\\]", "[[[-0.25]");
    assertError(
        post("fashion:predict", "{\"inputs\": [" + negative + "]}"),
        400,
        "pixel [0][0][0] is -0.25");
    String text = image.replaceFirst("\\[\\[\\[[^\\]]*\\]", "[[[\"white\"]");
    assertError(
        post("fashion:predict", "{\"instances\": [" + text + "]}"),
        400,
        "the string \"white\" is not of expected type: float");
  }

  @Test
  void classifyAndRegressAnswerAsForAModelWithoutSuchASignature() throws Exception {
    assertError(post("fashion:classify", "{\"examples\": []}"), 400, "tensorflow/serving/classify");
    assertError(post("fashion:regress", "{\"examples\": []}"), 400, "tensorflow/serving/regress");
  }

  @Test
  void bodiesOverTheLimitAre413() throws Exception {
    try (LenetServer small =
        LenetServer.builder()
            .model("fashion", modelDir)
            .port(0)
            .maxBodyBytes(10_000)
            .build()
            .start()) {
      String body = "{\"instances\": " + JSON.writeValueAsString(nhwc(images(2, 8))) + "}";
      assertThat(body.length()).isGreaterThan(10_000);
      URI uri = URI.create("http://127.0.0.1:" + small.port() + "/v1/models/fashion:predict");
      Answer a = send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(body)));
      assertError(a, 413, "larger than the limit of 10000 bytes");
      // A body small enough still works on the same server.
      String one = "{\"instances\": [" + JSON.writeValueAsString(new float[28][28][1]) + "]}";
      assertThat(one.length()).isLessThan(10_000);
      Answer ok = send(HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(one)));
      assertThat(ok.status).as(ok.body).isEqualTo(200);
    }
  }

  // ---- the builder

  @Test
  void theBuilderRefusesBadSettings() {
    assertThatThrownBy(() -> LenetServer.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no model");
    assertThatThrownBy(() -> LenetServer.builder().model("a/b", modelDir))
        .hasMessageContaining("\"a/b\"");
    assertThatThrownBy(() -> LenetServer.builder().model("a", modelDir).model("a", modelDir))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> LenetServer.builder().port(70000)).hasMessageContaining("70000");
    assertThatThrownBy(() -> LenetServer.builder().maxBodyBytes(0)).hasMessageContaining("found 0");
  }

  @Test
  void aMissingModelDirectoryFailsStartNamingIt() {
    Path missing = tmp.resolve("no-such-model");
    LenetServer s =
        LenetServer.builder().model("fashion", modelDir).model("gone", missing).port(0).build();
    assertThatThrownBy(s::start)
        .isInstanceOf(ModelFormatException.class)
        .hasMessageContaining(missing.toString());
    assertThatThrownBy(s::port).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void defaultsAreLoopbackOnTensorFlowServingsPort() {
    assertThat(LenetServer.DEFAULT_HOST).isEqualTo("127.0.0.1");
    assertThat(LenetServer.DEFAULT_PORT).isEqualTo(8501);
  }

  // ---- helpers

  private record Answer(int status, String contentType, String body, JsonNode json) {}

  private static Answer get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  private static Answer post(String path, String body) throws Exception {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static Answer send(HttpRequest.Builder request) throws Exception {
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    JsonNode json = r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
    return new Answer(
        r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), json);
  }

  private static void assertError(Answer a, int status, String... parts) {
    assertThat(a.status).as(a.body).isEqualTo(status);
    assertThat(a.contentType).startsWith("application/json");
    assertThat(a.json.fieldNames()).toIterable().containsExactly("error");
    assertThat(a.json.get("error").asText()).contains(parts);
  }

  private static List<String> sizes(JsonNode tensorInfo) {
    List<String> out = new ArrayList<>();
    tensorInfo.at("/tensor_shape/dim").forEach(d -> out.add(d.get("size").asText()));
    return out;
  }

  /** {@code n} random images of 784 pixels in [0, 1] (CHW, which is HWC for one channel). */
  private static float[][] images(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] out = new float[n][PIXELS];
    for (float[] image : out) {
      for (int p = 0; p < PIXELS; p++) {
        image[p] = (float) random.nextDouble();
      }
    }
    return out;
  }

  private static float[][][][] nhwc(float[][] images) {
    float[][][][] out = new float[images.length][28][28][1];
    for (int i = 0; i < images.length; i++) {
      for (int p = 0; p < PIXELS; p++) {
        out[i][p / 28][p % 28][0] = images[i][p];
      }
    }
    return out;
  }

  /** The answer equals the loaded model's own prediction, and probabilities are softmax(logits). */
  private static void assertMatchesReference(
      float[] image, JsonNode logits, JsonNode probabilities) {
    Prediction expected = reference.predict(image);
    assertThat(probabilities).hasSize(10);
    assertThat(logits).hasSize(10);
    double max = Double.NEGATIVE_INFINITY;
    for (JsonNode l : logits) {
      max = Math.max(max, l.asDouble());
    }
    double sum = 0;
    for (JsonNode l : logits) {
      sum += Math.exp(l.asDouble() - max);
    }
    for (int c = 0; c < 10; c++) {
      float p = (float) probabilities.get(c).asDouble();
      assertThat(p).isCloseTo(expected.probabilities().get(c), within(1e-6f));
      assertThat(Math.exp(logits.get(c).asDouble() - max) / sum).isCloseTo(p, within(1e-5));
    }
  }
}
