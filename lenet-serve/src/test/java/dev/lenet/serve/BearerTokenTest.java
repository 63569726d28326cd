package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code token(...)}: every /v1, /metrics and /api path needs it; /healthz and the page do not. */
class BearerTokenTest {

  @TempDir static Path tmp;

  private static final String TOKEN = "s3cret-Token_42";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static LenetServer server;
  private static String base;

  /** A request and the status it answers with the right token. */
  private record Call(String method, String path, String body, int status) {}

  private static final List<Call> PROTECTED =
      List.of(
          new Call("GET", "/v1/models/fashion", null, 200),
          new Call("GET", "/v1/models/fashion/versions/1", null, 200),
          new Call("GET", "/v1/models/fashion/metadata", null, 200),
          new Call("POST", "/v1/models/fashion:predict", ServingModel.rows(1, 0.5), 200),
          new Call("POST", "/v1/models/fashion:predictImage", "", 400),
          new Call("POST", "/v1/models/fashion:classify", "{}", 400),
          new Call("GET", "/v1/models/nope", null, 404),
          new Call("GET", "/v1/anything", null, 404),
          new Call("GET", "//v1/models/fashion", null, 404),
          new Call("GET", "/V1/models/fashion", null, 404),
          new Call("GET", "/%761/models/fashion", null, 404),
          new Call("GET", "/metrics", null, 200),
          new Call("GET", "/metrics/", null, 200),
          new Call("GET", "/api/models", null, 200),
          new Call("GET", "/api", null, 404));

  @BeforeAll
  static void serve() throws Exception {
    server =
        LenetServer.builder()
            .model("fashion", ServingModel.save(tmp))
            .port(0)
            .token(TOKEN)
            .build()
            .start();
    base = "http://127.0.0.1:" + server.port();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void withoutATokenEveryProtectedPathAnswers401() throws Exception {
    for (Call c : PROTECTED) {
      HttpResponse<String> r = send(c, null);
      assertUnauthorized(c, r, "requires a token");
    }
  }

  @Test
  void aWrongTokenAnswers401WithoutEchoingIt() throws Exception {
    for (Call c : PROTECTED) {
      for (String header : List.of("Bearer wrong", "Bearer " + TOKEN + "x", "Bearer s3cret")) {
        HttpResponse<String> r = send(c, header);
        assertUnauthorized(c, r, "token is wrong");
        assertThat(r.body()).doesNotContain("s3cret").doesNotContain("wrong\"");
      }
      assertUnauthorized(c, send(c, "Basic " + TOKEN), "Bearer scheme");
    }
  }

  @Test
  void theRightTokenReachesTheRoutes() throws Exception {
    for (Call c : PROTECTED) {
      for (String header : List.of("Bearer " + TOKEN, "bearer " + TOKEN)) {
        HttpResponse<String> r = send(c, header);
        assertThat(r.statusCode()).as(c + ": " + r.body()).isEqualTo(c.status());
      }
    }
  }

  @Test
  void healthAndThePageStayOpen() throws Exception {
    HttpResponse<String> health = send(new Call("GET", "/healthz", null, 200), null);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("ok");
    for (String path : List.of("/", "/index.html", "/app.js")) {
      assertThat(send(new Call("GET", path, null, -1), null).statusCode())
          .as(path)
          .isNotEqualTo(401);
    }
  }

  @Test
  void theBuilderRefusesEmptyOrUnprintableTokens() {
    for (String bad : List.of("", "two words", "line\nbreak", "tab\t")) {
      assertThatThrownBy(() -> LenetServer.builder().token(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("token");
    }
    assertThatThrownBy(() -> LenetServer.builder().token("p\u00e4ss"))
        .hasMessageNotContaining("p\u00e4ss");
  }

  private static void assertUnauthorized(Call c, HttpResponse<String> r, String says)
      throws Exception {
    assertThat(r.statusCode()).as(c + ": " + r.body()).isEqualTo(401);
    assertThat(r.headers().firstValue("WWW-Authenticate")).as(c.toString()).hasValue("Bearer");
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    JsonNode error = JSON.readTree(r.body()).get("error");
    assertThat(error).as(c.toString()).isNotNull();
    assertThat(error.asText()).as(c.toString()).contains(says).doesNotContain(TOKEN);
  }

  private static HttpResponse<String> send(Call c, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + c.path()));
    if (c.body() != null) {
      b.POST(HttpRequest.BodyPublishers.ofString(c.body()));
    }
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
