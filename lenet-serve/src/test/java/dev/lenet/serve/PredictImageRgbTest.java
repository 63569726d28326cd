package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.ParameterInfo;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code :predictImage} for a three-channel model: the reader's (C, H, W) samples reach the model
 * in its (H, W, C) layout, so the answer is {@code TfModel.predict}'s for the same file.
 */
class PredictImageRgbTest {

  @TempDir Path tmp;

  @Test
  void aColourImageGetsThePredictionOfTheModelsOwnPredict() throws Exception {
    ModelSpec spec =
        ModelSpec.builder()
            .input(3, 28, 28)
            .conv2d(6, 5)
            .padding(2)
            .relu()
            .avgPool(2, 2)
            .flatten()
            .dense(10)
            .build();
    SplittableRandom random = new SplittableRandom(7);
    Map<String, float[]> weights = new HashMap<>();
    for (ParameterInfo p : ParameterInfo.of(spec)) {
      float[] w = new float[p.size()];
      for (int i = 0; i < w.length; i++) {
        w[i] = (float) random.nextGaussian(0, 0.3);
      }
      weights.put(p.name(), w);
    }
    List<String> classes = IntStream.range(0, 10).mapToObj(i -> "c" + i).toList();
    Path dir = tmp.resolve("rgb");
    try (TfModel model = TfModel.fromWeights(spec, weights, classes)) {
      model.save(dir);
    }
    // Red, green and blue differ across the image, so a channel-order mix-up changes the answer.
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        image.setRGB(x, y, (x * 9) << 16 | (y * 9) << 8 | ((x * y) % 256));
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(image, "png", png);

    try (TfModel reference = TfModel.load(dir);
        LenetServer server = LenetServer.builder().model("rgb", dir).port(0).build().start()) {
      float[] input =
          ImageReader.standard()
              .read(new ByteArrayInputStream(png.toByteArray()), "image", spec.input());
      Prediction expected = reference.predict(input, 1).get(0);
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + server.port()
                                  + "/v1/models/rgb:predictImage?top=10"))
                      .header("Content-Type", "image/png")
                      .POST(HttpRequest.BodyPublishers.ofByteArray(png.toByteArray()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode predictions = new ObjectMapper().readTree(r.body()).get("predictions");
      for (JsonNode p : predictions) {
        int c = p.get("class").asInt();
        assertThat(p.get("probability").floatValue())
            .as("class " + c)
            .isEqualTo(expected.probabilities().get(c));
      }
      assertThat(predictions.get(0).get("class").asInt()).isEqualTo(expected.predictedClass());
    }
  }
}
