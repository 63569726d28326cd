package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /healthz}, {@code /metrics} and the access log, against a server with no token. */
class OperationsTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final BlockingQueue<String> LOG = new LinkedBlockingQueue<>();

  private static Path modelDir;
  private static LenetServer server;
  private static String base;

  @BeforeAll
  static void serve() throws Exception {
    modelDir = ServingModel.save(tmp);
    server =
        LenetServer.builder()
            .model("fashion", modelDir)
            .model("second", modelDir)
            .port(0)
            .accessLog(LOG::add)
            .build()
            .start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthNamesTheModelsServed() throws Exception {
    HttpResponse<String> r = get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("status").asText()).isEqualTo("ok");
    assertThat(body.get("models")).hasSize(2);
    assertThat(body.get("models").get(0).asText()).isEqualTo("fashion");
    assertThat(body.get("models").get(1).asText()).isEqualTo("second");
  }

  @Test
  void metricsCountRequestsLatencyAndBatchSizes() throws Exception {
    assertThat(get("/v1/models/second").statusCode()).isEqualTo(200);
    assertThat(get("/v1/models/second/versions/1/metadata").statusCode()).isEqualTo(200);
    assertThat(post("/v1/models/second:predict", ServingModel.rows(3, 0.5)).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/models/second:predict", ServingModel.columnar(2, 0.25)).statusCode())
        .isEqualTo(200);
    assertThat(post("/v1/models/second:predict", "{\"instances\": [1]}").statusCode())
        .isEqualTo(400);
    assertThat(get("/v1/models/no-such-model-" + System.nanoTime()).statusCode()).isEqualTo(404);

    HttpResponse<String> scrape = get("/metrics");
    assertThat(scrape.statusCode()).isEqualTo(200);
    assertThat(scrape.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain; version=0.0.4");
    Map<String, Double> m = parse(scrape.body());

    assertThat(m.get("lenet_requests_total{code=200,method=status,model=second}")).isEqualTo(1);
    assertThat(m.get("lenet_requests_total{code=200,method=metadata,model=second}")).isEqualTo(1);
    assertThat(m.get("lenet_requests_total{code=200,method=predict,model=second}")).isEqualTo(2);
    assertThat(m.get("lenet_requests_total{code=400,method=predict,model=second}")).isEqualTo(1);
    // an unknown model's name is not a label value: clients cannot grow the label set
    assertThat(m.get("lenet_requests_total{code=404,method=status,model=}")).isGreaterThan(0);
    assertThat(m.keySet()).noneMatch(k -> k.contains("no-such-model"));

    assertThat(m.get("lenet_request_duration_seconds_count{method=predict,model=second}"))
        .isEqualTo(3);
    assertThat(m.get("lenet_request_duration_seconds_bucket{le=+Inf,method=predict,model=second}"))
        .isEqualTo(3);
    assertThat(m.get("lenet_request_duration_seconds_sum{method=predict,model=second}"))
        .isGreaterThan(0);

    assertThat(m.get("lenet_batch_size_count{model=second}")).isEqualTo(2);
    assertThat(m.get("lenet_batch_size_sum{model=second}")).isEqualTo(5);
    assertThat(m.get("lenet_batch_size_bucket{le=2.0,model=second}")).isEqualTo(1);
    assertThat(m.get("lenet_batch_size_bucket{le=4.0,model=second}")).isEqualTo(2);
    assertThat(m.get("lenet_batch_size_count{model=fashion}")).isEqualTo(0);
    assertThat(m.get("lenet_requests_in_flight")).isEqualTo(1); // the scrape itself
  }

  @Test
  void metricsAreKeptPerServer() throws Exception {
    try (LenetServer other =
        LenetServer.builder().model("fashion", modelDir).port(0).build().start()) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/metrics"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(parse(r.body()).keySet()).noneMatch(k -> k.startsWith("lenet_requests_total"));
    }
  }

  @Test
  void theAccessLogHasOneLinePerRequest() throws Exception {
    String marker = "/v1/models/fashion/log-" + System.nanoTime();
    HttpResponse<String> ok = get("/v1/models/fashion");
    HttpResponse<String> missing = get(marker);
    assertThat(missing.statusCode()).isEqualTo(404);

    Pattern line =
        Pattern.compile(
            "127\\.0\\.0\\.1 - - \\[\\d\\d/\\w{3}/\\d{4}:\\d\\d:\\d\\d:\\d\\d [+-]\\d{4}] "
                + "\"(GET|POST) (\\S+) HTTP/1\\.1\" (\\d{3}) (\\d+|-) (\\d+)");
    Map<String, Matcher> byPath = new HashMap<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!byPath.containsKey(marker) && System.nanoTime() < deadline) {
      String next = LOG.poll(1, TimeUnit.SECONDS);
      if (next != null) {
        Matcher matcher = line.matcher(next);
        assertThat(matcher.matches()).as(next).isTrue();
        byPath.put(matcher.group(2), matcher);
      }
    }
    assertThat(byPath).containsKey(marker);
    Matcher miss = byPath.get(marker);
    assertThat(miss.group(3)).isEqualTo("404");
    assertThat(miss.group(4)).isEqualTo(Integer.toString(missing.body().length()));
    Matcher hit = byPath.get("/v1/models/fashion");
    assertThat(hit).isNotNull();
    assertThat(hit.group(3)).isEqualTo("200");
    assertThat(hit.group(4)).isEqualTo(Integer.toString(ok.body().length()));
  }

  /** Prometheus text to {@code name{label=value,...}} (labels sorted, quotes dropped) to value. */
  private static Map<String, Double> parse(String text) {
    Map<String, Double> out = new HashMap<>();
    Pattern sample = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})? (\\S+)");
    Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");
    for (String l : text.split("\n")) {
      if (l.isBlank() || l.startsWith("#")) {
        continue;
      }
      Matcher s = sample.matcher(l);
      assertThat(s.matches()).as(l).isTrue();
      Map<String, String> labels = new TreeMap<>();
      if (s.group(3) != null) {
        Matcher lm = label.matcher(s.group(3));
        while (lm.find()) {
          labels.put(lm.group(1), lm.group(2));
        }
      }
      StringBuilder key = new StringBuilder(s.group(1));
      if (!labels.isEmpty()) {
        List<String> pairs =
            labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
        key.append('{').append(String.join(",", pairs)).append('}');
      }
      out.put(key.toString(), Double.parseDouble(s.group(4)));
    }
    return out;
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
