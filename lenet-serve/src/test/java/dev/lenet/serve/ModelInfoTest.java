package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.LeNet;
import dev.lenet.tf.TfModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /api/models} and the page's static files, through a real HTTP client. */
class ModelInfoTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static LenetServer server;
  private static String base;

  @BeforeAll
  static void serve() throws Exception {
    Path model = TrainedRun.create(tmp);
    // The same model again, outside any run: no metrics.json beside it.
    Path bare = tmp.resolve("bare/model");
    try (TfModel loaded = TfModel.load(model)) {
      loaded.save(bare);
    }
    server =
        LenetServer.builder().model("fashion", model).model("bare", bare).port(0).build().start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void describesEachModelWithItsSummaryAndTheRunsTestAccuracy() throws Exception {
    HttpResponse<String> r = get("/api/models");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode models = JSON.readTree(r.body()).get("models");
    assertThat(models).hasSize(2);
    assertThat(models.get(0).get("name").asText()).isEqualTo("bare");
    JsonNode m = models.get(1);
    assertThat(m.get("name").asText()).isEqualTo("fashion");
    assertThat(m.get("input_shape").toString()).isEqualTo("[1,28,28]");
    assertThat(m.get("class_names")).hasSize(10);
    assertThat(m.get("class_names").get(9).asText()).isEqualTo("Ankle boot");
    assertThat(m.get("parameters").asLong()).isEqualTo(LeNet.classic().parameterCount());
    List<LayerInfo> layers = LeNet.classic().layerInfos();
    JsonNode rows = m.get("summary");
    assertThat(rows).hasSize(layers.size());
    for (int i = 0; i < layers.size(); i++) {
      LayerInfo info = layers.get(i);
      JsonNode row = rows.get(i);
      assertThat(row.get("number").asInt()).isEqualTo(info.number());
      assertThat(row.get("layer").asText()).isEqualTo(info.layer().describe());
      assertThat(JSON.convertValue(row.get("output_shape"), int[].class))
          .containsExactly(
              info.outputShape().dims().stream().mapToInt(Integer::intValue).toArray());
      assertThat(row.get("parameters").asLong()).isEqualTo(info.parameters());
    }
    assertThat(m.get("summary_text").asText()).isEqualTo(LeNet.classic().summary());
    assertThat(m.get("test_accuracy").asDouble()).isEqualTo(TrainedRun.TEST_ACCURACY);
    assertThat(m.get("epochs").asInt()).isEqualTo(2);
    assertThat(models.get(0).get("test_accuracy").isNull()).isTrue();
  }

  @Test
  void aMetricsFileThatDoesNotParseGivesNoAccuracyAndSaysWhy() throws Exception {
    Path run = tmp.resolve("broken");
    try (TfModel loaded = TfModel.load(tmp.resolve("run/model"))) {
      loaded.save(run.resolve("model"));
    }
    Files.writeString(run.resolve("metrics.json"), "{\"epochs\": [");
    try (LenetServer other =
        LenetServer.builder().model("m", run.resolve("model")).port(0).build().start()) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/api/models"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode m = JSON.readTree(r.body()).get("models").get(0);
      assertThat(m.get("test_accuracy").isNull()).isTrue();
      assertThat(m.get("test_accuracy_error").asText())
          .startsWith("the run's metrics.json does not parse")
          .doesNotContain(tmp.toString());
    }
  }

  @Test
  void servesThePageFromTheJar() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
    assertThat(page.body())
        .contains("<canvas id=\"pad\"", "app.js", "style.css", "href=\"/runs.html\"");
    for (String file : List.of("/index.html", "/app.js", "/style.css")) {
      HttpResponse<String> r = get(file);
      assertThat(r.statusCode()).as(file).isEqualTo(200);
      // Works offline: nothing is loaded from another host.
      assertThat(r.body()).as(file).doesNotContain("http://", "https://", "//cdn", "@import");
    }
    assertThat(get("/app.js").headers().firstValue("Content-Type").orElse(""))
        .contains("javascript");
    assertThat(get("/nothing.js").statusCode()).isEqualTo(404);
    assertThat(get("/../pom.xml").statusCode()).isIn(400, 404);
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
