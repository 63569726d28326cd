package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Predict bodies read by the streaming parser, over HTTP: what the tree reader did that the
 * differential test does not see (the order of a body's faults against the path's, several images
 * in one body, both formats' answers agreeing).
 */
@Timeout(120)
class PredictJsonHttpTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static LenetServer server;
  private static String base;

  @BeforeAll
  static void serve() throws Exception {
    server =
        LenetServer.builder()
            .model("fashion", ServingModel.save(tmp))
            .port(0)
            .batching(false)
            .build()
            .start();
    base = "http://127.0.0.1:" + server.port() + "/v1/models/";
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aBodyThatIsNotJsonIsReportedBeforeAnUnknownModelOrMethod() throws Exception {
    for (String path :
        new String[] {
          "shoes:predict",
          "fashion/versions/2:predict",
          "fashion",
          "fashion:explain",
          "fashion:classify",
          "fashion:regress",
          "fashion:predict"
        }) {
      HttpResponse<String> r = post(path, "{\"instances\": [1, 2");
      assertThat(r.statusCode()).as(path).isEqualTo(400);
      assertThat(error(r)).as(path).startsWith("JSON Parse error").contains("line 1, column");
      HttpResponse<String> trailing = post(path, "{} []");
      assertThat(error(trailing)).as(path).startsWith("JSON Parse error: Trailing token");
    }
    // Well-formed bodies get the path's answer.
    assertThat(post("shoes:predict", "{\"x\": [1, 2]}").statusCode()).isEqualTo(404);
    assertThat(error(post("fashion:classify", "  "))).contains("tensorflow/serving/classify");
  }

  @Test
  void millionsOfTinyInstancesUnderTheBodyLimitAre400NotAnOutOfMemoryError() throws Exception {
    // 4 MB of "0," is two million instances: sized up front, that is 1.6 billion floats.
    String zeros = "0,".repeat(2_000_000);
    String body = "{\"instances\": [" + zeros.substring(0, zeros.length() - 1) + "]}";
    assertThat(body.length()).isLessThan((int) LenetServer.DEFAULT_MAX_BODY_BYTES);
    HttpResponse<String> r = post("fashion:predict", body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
    assertThat(error(r)).contains("instance 0");
    // And the server still answers.
    assertThat(post("fashion:predict", "{\"instances\": []}").statusCode()).isEqualTo(400);
  }

  @Test
  void aBodyOfOnlySpaceIsNotAJsonObject() throws Exception {
    HttpResponse<String> r = post("fashion:predict", " \n ");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(error(r)).contains("must be a JSON object");
  }

  @Test
  void manyImagesInOneBodyAnswerAsTheyDoOneByOne() throws Exception {
    int count = 9; // more than one doubling of the streaming reader's first room for one image
    StringBuilder rows = new StringBuilder("{\"instances\": [");
    StringBuilder columns = new StringBuilder("{\"inputs\": {\"images\": [");
    JsonNode[] single = new JsonNode[count];
    for (int i = 0; i < count; i++) {
      String image = ServingModel.columnar(1, i / (double) count);
      image = image.substring("{\"inputs\": [".length(), image.length() - 2);
      rows.append(i == 0 ? "" : ",").append(image);
      columns.append(i == 0 ? "" : ",").append(image);
      HttpResponse<String> one = post("fashion:predict", "{\"instances\": [" + image + "]}");
      assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
      single[i] = JSON.readTree(one.body()).at("/predictions/0");
    }
    HttpResponse<String> r = post("fashion:predict", rows.append("]}").toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode predictions = JSON.readTree(r.body()).get("predictions");
    HttpResponse<String> c = post("fashion:predict", columns.append("]}}").toString());
    assertThat(c.statusCode()).as(c.body()).isEqualTo(200);
    JsonNode outputs = JSON.readTree(c.body()).get("outputs");
    assertThat(predictions).hasSize(count);
    assertThat(outputs.get("logits")).hasSize(count);
    for (int i = 0; i < count; i++) {
      for (String output : new String[] {"logits", "probabilities"}) {
        JsonNode expected = single[i].get(output);
        assertThat(expected).hasSize(10);
        assertClose(predictions.get(i).get(output), expected);
        assertClose(outputs.get(output).get(i), expected);
      }
    }
  }

  private static void assertClose(JsonNode actual, JsonNode expected) {
    assertThat(actual).hasSize(expected.size());
    for (int k = 0; k < expected.size(); k++) {
      // A batch's numbers may differ from one image's in the last bits.
      assertThat(actual.get(k).floatValue())
          .isCloseTo(expected.get(k).floatValue(), org.assertj.core.data.Offset.offset(1e-4f));
    }
  }

  private static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("error").asText();
  }

  private static HttpResponse<String> post(String path, String body) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
