package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.IntFunction;

/**
 * Writes a {@code :predict} answer with Jackson's generator straight to bytes, in TensorFlow
 * Serving's shapes: {@code {"predictions": [{"logits": [...], "probabilities": [...]}, ...]}} for
 * the row format, {@code {"outputs": {"logits": [[...], ...], "probabilities": [[...], ...]}}} for
 * the columnar one. The bytes are those the mapper writes for the same answer built as a tree.
 */
final class PredictAnswer {

  private PredictAnswer() {}

  /** The answer for {@code count} images, whose outputs {@code logits} and so on give. */
  static byte[] write(
      ObjectMapper json,
      boolean rows,
      int count,
      IntFunction<float[]> logits,
      IntFunction<float[]> probabilities) {
    // Two outputs of ten floats per image, up to ~15 characters each.
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + count * 400);
    try (JsonGenerator g = json.createGenerator(bytes)) {
      g.writeStartObject();
      if (rows) {
        g.writeArrayFieldStart("predictions");
        for (int i = 0; i < count; i++) {
          g.writeStartObject();
          g.writeFieldName("logits");
          floats(g, logits.apply(i));
          g.writeFieldName("probabilities");
          floats(g, probabilities.apply(i));
          g.writeEndObject();
        }
        g.writeEndArray();
      } else {
        g.writeObjectFieldStart("outputs");
        g.writeArrayFieldStart("logits");
        for (int i = 0; i < count; i++) {
          floats(g, logits.apply(i));
        }
        g.writeEndArray();
        g.writeArrayFieldStart("probabilities");
        for (int i = 0; i < count; i++) {
          floats(g, probabilities.apply(i));
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not into an array in memory
    }
    return bytes.toByteArray();
  }

  private static void floats(JsonGenerator g, float[] values) throws IOException {
    g.writeStartArray();
    for (float v : values) {
      g.writeNumber(v);
    }
    g.writeEndArray();
  }
}
