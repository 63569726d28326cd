package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The runs view's JSON and event stream, through a real HTTP client, on run directories. */
class RunsApiTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Path runs;
  private static LenetServer server;
  private static String base;

  @BeforeAll
  static void serveRuns() throws IOException {
    runs = tmp.resolve("runs");
    RunFixtures.writeMetrics(runs.resolve("growing"), 1, 3);
    RunFixtures.lockedByThisProcess(runs.resolve("growing"));
    RunFixtures.writeMetrics(runs.resolve("done"), 2, 2);
    Files.createDirectories(runs.resolve("done/model"));
    Files.writeString(runs.resolve("done/.lock"), "999999999\n"); // a process long gone
    RunFixtures.writeMetrics(runs.resolve("killed"), 1, 5);
    Files.createDirectories(runs.resolve("broken"));
    Files.writeString(runs.resolve("broken/metrics.json"), "{\"epochs\": [");
    Files.createDirectories(runs.resolve("notes")); // holds no run
    Files.writeString(runs.resolve("notes/todo.txt"), "not a run");
    Path outside = tmp.resolve("outside");
    RunFixtures.writeMetrics(outside, 1, 1);
    Files.writeString(outside.resolve("secret.txt"), "SECRET");
    Files.createSymbolicLink(runs.resolve("link"), outside);
    server = LenetServer.builder().runs(runs).port(0).build().start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void listsEveryRunWithStateProgressAndLastMetrics() throws Exception {
    Answer a = get("/api/runs");
    assertThat(a.status).isEqualTo(200);
    assertThat(a.contentType).startsWith("application/json");
    List<String> names = new ArrayList<>();
    a.json.forEach(r -> names.add(r.get("name").asText()));
    assertThat(names).containsExactly("broken", "done", "growing", "killed");
    JsonNode growing = a.json.get(2);
    assertThat(growing.get("state").asText()).isEqualTo("running");
    assertThat(growing.get("epochs_done").asInt()).isEqualTo(1);
    assertThat(growing.get("epochs_total").asInt()).isEqualTo(3);
    assertThat(growing.at("/last/test_acc").asDouble()).isEqualTo(RunFixtures.testAccuracy(1));
    assertThat(a.json.get(1).get("state").asText()).isEqualTo("finished");
    assertThat(a.json.get(3).get("state").asText()).isEqualTo("stopped");
    assertThat(a.json.get(0).get("state").asText()).isEqualTo("unreadable");
    assertThat(a.json.get(0).get("error").asText()).contains("metrics.json does not parse");
  }

  @Test
  void aRunHasItsRecipeEpochsAndProgress() throws Exception {
    Answer a = get("/api/runs/done");
    assertThat(a.status).isEqualTo(200);
    assertThat(a.json.get("state").asText()).isEqualTo("finished");
    assertThat(a.json.at("/recipe/batchSize").asInt()).isEqualTo(256);
    assertThat(a.json.at("/recipe/optimizer").asText()).isEqualTo("SGD");
    assertThat(a.json.get("dataset").asText()).isEqualTo("fashion-mnist");
    JsonNode epochs = a.json.get("epochs");
    assertThat(epochs).hasSize(2);
    assertThat(epochs.get(1).get("loss").asDouble()).isEqualTo(RunFixtures.loss(2));
    assertThat(epochs.get(1).get("train_acc").asDouble()).isEqualTo(RunFixtures.trainAccuracy(2));
    assertThat(epochs.get(1).get("test_acc").asDouble()).isEqualTo(RunFixtures.testAccuracy(2));
    assertThat(epochs.get(1).get("examples_per_sec").asDouble()).isEqualTo(12002.0);
    assertThat(a.json.get("epochs_done").asInt()).isEqualTo(2);
    assertThat(a.json.get("epochs_total").asInt()).isEqualTo(2);
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS) // a guard against a stream that never answers
  void aGrowingRunShowsItsNewEpochInTheRunAndOnTheEventStream() throws Exception {
    Path dir = runs.resolve("growing");
    HttpResponse<Stream<String>> stream =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(base + "/api/runs/growing/events"))
                .header("Accept", "text/event-stream")
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    Iterator<String> lines = stream.body().iterator();
    try {
      assertThat(listed("growing").get("epochs_done").asInt()).isEqualTo(1);
      JsonNode first = nextEvent(lines);
      assertThat(first.get("name").asText()).isEqualTo("growing");
      assertThat(first.get("epochs")).hasSize(1);

      RunFixtures.writeMetrics(dir, 2, 3);

      JsonNode second = nextEvent(lines);
      assertThat(second.get("epochs")).hasSize(2);
      assertThat(second.get("epochs_done").asInt()).isEqualTo(2);
      assertThat(second.at("/last/loss").asDouble()).isEqualTo(RunFixtures.loss(2));
      assertThat(get("/api/runs/growing").json.get("epochs")).hasSize(2);
      // The list (read from a cache while the files do not change) shows the new epoch too.
      assertThat(listed("growing").get("epochs_done").asInt()).isEqualTo(2);
      assertThat(listed("growing").at("/last/loss").asDouble()).isEqualTo(RunFixtures.loss(2));
    } finally {
      stream.body().close();
    }
  }

  /** The entry of {@code name} in {@code GET /api/runs}. */
  private static JsonNode listed(String name) throws Exception {
    for (JsonNode run : get("/api/runs").json) {
      if (run.get("name").asText().equals(name)) {
        return run;
      }
    }
    throw new AssertionError("no run " + name + " in /api/runs");
  }

  @Test
  void namesThatAreNotOneSegmentOfTheRunsDirectoryAreRefused() throws Exception {
    for (String path :
        List.of(
            "/api/runs/..",
            "/api/runs/%2e%2e",
            "/api/runs/..%2Foutside",
            "/api/runs/%2e%2e%2foutside",
            "/api/runs/growing%2F..%2F..%2Foutside",
            "/api/runs/growing/../../outside",
            "/api/runs/link",
            "/api/runs/link/events",
            "/api/runs/notes",
            "/api/runs/.lock",
            "/api/runs/nope")) {
      Answer a = get(path);
      assertThat(a.status).as(path).isIn(400, 404);
      assertThat(a.body).as(path).doesNotContain("SECRET").doesNotContain("\"epochs\"");
    }
    Answer link = get("/api/runs/link");
    assertThat(link.json.get("error").asText()).contains("no run named \"link\"");
    assertThat(get("/api/runs").body).doesNotContain("\"link\"");
  }

  @Test
  void aMissingRunsDirectoryFailsStartNamingIt() {
    Path missing = tmp.resolve("no-such-runs");
    assertThatThrownBy(() -> LenetServer.builder().runs(missing).port(0).build().start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void aServerWithoutRunsSaysSoOnTheRunsApi() throws Exception {
    Path model = ServingModel.save(tmp.resolve("plain"));
    try (LenetServer plain = LenetServer.builder().model("m", model).port(0).build().start()) {
      for (String path : List.of("/api/runs", "/api/runs/growing", "/api/runs/growing/events")) {
        Answer a = get("http://127.0.0.1:" + plain.port(), path);
        assertThat(a.status).as(path).isEqualTo(404);
        assertThat(a.json.get("error").asText()).contains("no runs directory", "--runs");
      }
    }
  }

  /** The next {@code run} event's data, skipping comments and other lines. */
  private static JsonNode nextEvent(Iterator<String> lines) throws IOException {
    boolean run = false;
    while (lines.hasNext()) {
      String line = lines.next();
      if (line.equals("event: run")) {
        run = true;
      } else if (run && line.startsWith("data: ")) {
        return JSON.readTree(line.substring("data: ".length()));
      }
    }
    throw new AssertionError("the event stream ended before a run event");
  }

  private record Answer(int status, String contentType, String body, JsonNode json) {}

  private static Answer get(String path) throws Exception {
    return get(base, path);
  }

  private static Answer get(String root, String path) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(root + path))
                .header("Accept", "text/event-stream, application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode json;
    try {
      json = JSON.readTree(r.body());
    } catch (IOException e) {
      json = null;
    }
    return new Answer(
        r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), json);
  }
}
