package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code :predictImage} through a real HTTP client against a server on 127.0.0.1. */
class PredictImageTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static TfModel reference;
  private static LenetServer server;
  private static String base;

  @BeforeAll
  static void serve() throws Exception {
    Path model = TrainedRun.create(tmp);
    reference = TfModel.load(model);
    server =
        LenetServer.builder().model("fashion", model).port(0).maxBodyBytes(200_000).build().start();
    base = "http://127.0.0.1:" + server.port() + "/v1/models/";
  }

  @AfterAll
  static void stop() {
    server.close();
    reference.close();
  }

  @Test
  void answersTheTopClassesAsThePredictCommandWouldAndTheImageTheModelSees() throws Exception {
    byte[] png = TrainedRun.png(56, 1);
    Answer a = post("fashion:predictImage", "image/png", png);
    assertThat(a.status).as(a.body).isEqualTo(200);
    assertThat(a.contentType).startsWith("application/json");
    assertMatchesReference(a.json, png, 5);
  }

  @Test
  void topChoosesHowManyClassesAndVersionOneIsTheSame() throws Exception {
    byte[] png = TrainedRun.png(28, 2);
    for (int k : List.of(1, 3, 10)) {
      Answer a = post("fashion/versions/1:predictImage?top=" + k, "image/png", png);
      assertThat(a.status).as(a.body).isEqualTo(200);
      assertMatchesReference(a.json, png, k);
    }
  }

  @Test
  void takesJpegAndBmpBodiesWhateverTheirImageSubtype() throws Exception {
    for (String format : List.of("jpeg", "bmp", "gif")) {
      byte[] bytes = encode(TrainedRun.png(40, 3), format);
      Answer a = post("fashion:predictImage", "image/" + format, bytes);
      assertThat(a.status).as(format + ": " + a.body).isEqualTo(200);
      assertMatchesReference(a.json, bytes, 5);
    }
  }

  @Test
  void takesAMultipartFormWithAFileFieldImage() throws Exception {
    byte[] png = TrainedRun.png(56, 4);
    String boundary = "lenet-test-boundary";
    Answer a =
        post(
            "fashion:predictImage?top=10",
            "multipart/form-data; boundary=" + boundary,
            multipart(boundary, "image", "shoe.png", png));
    assertThat(a.status).as(a.body).isEqualTo(200);
    assertMatchesReference(a.json, png, 10);
  }

  @Test
  void aFormWithoutTheImageFieldIs400() throws Exception {
    String boundary = "b0undary";
    Answer a =
        post(
            "fashion:predictImage",
            "multipart/form-data; boundary=" + boundary,
            multipart(boundary, "picture", "shoe.png", TrainedRun.png(28, 1)));
    assertError(a, 400, "no file fields named \"image\"");
  }

  @Test
  void anImageDeclaringTooManyPixelsIsRefusedBeforeDecoding() throws Exception {
    byte[] bomb = TrainedRun.declaredPng(30_000, 30_000);
    assertThat(bomb.length).isLessThan(100);
    assertError(
        post("fashion:predictImage", "image/png", bomb),
        400,
        "30000x30000 pixels (900,000,000)",
        "limit of 25,000,000",
        "scale the image down");
  }

  @Test
  void theBuildersPixelLimitApplies() throws Exception {
    try (LenetServer small =
        LenetServer.builder()
            .model("fashion", tmp.resolve("run/model"))
            .port(0)
            .maxImagePixels(28 * 28)
            .build()
            .start()) {
      String url = "http://127.0.0.1:" + small.port() + "/v1/models/fashion:predictImage";
      assertThat(send(url, "image/png", TrainedRun.png(28, 1)).status).isEqualTo(200);
      assertError(
          send(url, "image/png", TrainedRun.png(29, 1)), 400, "29x29 pixels", "limit of 784");
    }
    assertThatThrownBy(() -> LenetServer.builder().maxImagePixels(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxImagePixels must be in [1, 2147483647], found 0");
  }

  @Test
  void undecodableAndEmptyBodiesAre400() throws Exception {
    assertError(
        post("fashion:predictImage", "image/png", "not a picture".getBytes(StandardCharsets.UTF_8)),
        400,
        "the request body",
        "not an image",
        "send a PNG, JPEG, GIF or BMP image");
    byte[] png = TrainedRun.png(56, 1);
    byte[] cut = java.util.Arrays.copyOf(png, png.length / 2);
    assertError(post("fashion:predictImage", "image/png", cut), 400, "cannot decode the PNG");
    assertError(post("fashion:predictImage", "image/png", new byte[0]), 400, "body is empty");
  }

  @Test
  void otherContentTypesAre400() throws Exception {
    byte[] png = TrainedRun.png(28, 1);
    assertError(
        post("fashion:predictImage", "application/json", png),
        400,
        "Content-Type \"application/json\" is not taken",
        "image/png",
        "multipart/form-data");
    assertError(post("fashion:predictImage", null, png), 400, "Content-Type is missing");
  }

  @Test
  void aBadTopIs400() throws Exception {
    byte[] png = TrainedRun.png(28, 1);
    for (String top : List.of("0", "11", "-1", "five", "")) {
      assertError(
          post("fashion:predictImage?top=" + top, "image/png", png),
          400,
          "top=\"" + top + "\" must be a whole number from 1 to 10");
    }
  }

  @Test
  void aBodyOverTheLimitIs413AndUnknownModelsAre404() throws Exception {
    assertError(
        post("fashion:predictImage", "image/png", new byte[300_000]),
        413,
        "larger than the limit of 200000 bytes");
    assertError(
        post("shoes:predictImage", "image/png", TrainedRun.png(28, 1)),
        404,
        "Servable not found",
        "shoes");
    assertError(
        post("fashion/versions/2:predictImage", "image/png", TrainedRun.png(28, 1)),
        404,
        "Specific(fashion, 2)");
  }

  /**
   * A body refused before it is read (here by its declared length) is read and dropped before the
   * answer, so the connection stays open for the next request: a client still sending would
   * otherwise lose the answer, or find its next request on a closed connection.
   */
  @Test
  void aConnectionServesTheNextRequestAfterARefusedBody() throws Exception {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(
          ("POST /v1/models/fashion:predictImage HTTP/1.1\r\nHost: test\r\n"
                  + "Content-Type: image/png\r\nContent-Length: 300000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(new byte[300_000]);
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 413");
      out.write(
          "GET /v1/models/fashion HTTP/1.1\r\nHost: test\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
    }
  }

  /** One HTTP/1.1 response with a Content-Length body: its head and body as text. */
  private static String readResponse(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed after: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
  }

  // ---- helpers

  private void assertMatchesReference(JsonNode answer, byte[] encoded, int top) {
    ImageReader reader = ImageReader.standard();
    var shape = reference.spec().input();
    float[] input = reader.read(new ByteArrayInputStream(encoded), "image", shape);
    byte[] samples = reader.samples(new ByteArrayInputStream(encoded), "image", shape);
    Prediction expected = reference.predict(input, 1).get(0);
    JsonNode predictions = answer.get("predictions");
    assertThat(predictions).hasSize(top);
    List<Integer> classes = expected.topClasses(top);
    for (int i = 0; i < top; i++) {
      JsonNode p = predictions.get(i);
      int c = classes.get(i);
      assertThat(p.get("class").asInt()).isEqualTo(c);
      assertThat(p.get("name").asText()).isEqualTo(reference.classNames().get(c));
      assertThat(p.get("probability").floatValue()).isEqualTo(expected.probabilities().get(c));
    }
    JsonNode image = answer.get("image");
    assertThat(image.get("channels").asInt()).isEqualTo(1);
    assertThat(image.get("height").asInt()).isEqualTo(28);
    assertThat(image.get("width").asInt()).isEqualTo(28);
    JsonNode pixels = image.get("pixels");
    assertThat(pixels).hasSize(28 * 28);
    for (int i = 0; i < samples.length; i++) {
      assertThat(pixels.get(i).asInt()).as("pixel " + i).isEqualTo(Byte.toUnsignedInt(samples[i]));
    }
  }

  static byte[] multipart(String boundary, String field, String filename, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\""
            + field
            + "\"; filename=\""
            + filename
            + "\"\r\nContent-Type: image/png\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] encode(byte[] png, String format) throws Exception {
    var image = javax.imageio.ImageIO.read(new ByteArrayInputStream(png));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(javax.imageio.ImageIO.write(image, format, out)).as(format).isTrue();
    return out.toByteArray();
  }

  private record Answer(int status, String contentType, String body, JsonNode json) {}

  private static Answer post(String path, String contentType, byte[] body) throws Exception {
    return send(base + path, contentType, body);
  }

  private static Answer send(String url, String contentType, byte[] body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    String type = r.headers().firstValue("Content-Type").orElse("");
    return new Answer(r.statusCode(), type, r.body(), JSON.readTree(r.body()));
  }

  private static void assertError(Answer a, int status, String... parts) {
    assertThat(a.status).as(a.body).isEqualTo(status);
    assertThat(a.contentType).startsWith("application/json");
    assertThat(a.json.get("error").asText()).as(a.body).contains(parts);
  }
}
