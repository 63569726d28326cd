package dev.lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lenet.api.spec.Shape;
import java.util.Iterator;

/**
 * The reference for {@link ImageTensors}: the tree-based reader lenet-serve used before it read
 * predict bodies with the streaming parser, kept unchanged so that {@code
 * PredictBodyDifferentialTest} can check that both give the same images and the same messages.
 *
 * <p>Reads the signature's one input, {@code images} float {@code [batch, H, W, C]} with pixels in
 * [0, 1], from a predict request in TensorFlow Serving's row ({@code instances}) or columnar
 * ({@code inputs}) format, into one NHWC array. Every fault is a 400 that says where and what.
 */
final class TreeImageTensors {

  static final String INPUT = "images";

  private final Shape shape;

  TreeImageTensors(Shape shape) {
    this.shape = shape;
  }

  /** The images of a request body, and how many there are. */
  record Batch(float[] nhwc, int count) {}

  /** Row format: each instance is one image tensor, or an object {@code {"images": tensor}}. */
  Batch fromInstances(JsonNode instances) {
    if (!instances.isArray()) {
      throw ApiException.badRequest("\"instances\" must be a list, found " + kind(instances));
    }
    if (instances.size() == 0) {
      throw ApiException.badRequest("\"instances\" is empty: send at least one image");
    }
    int count = instances.size();
    float[] out = new float[count * (int) shape.size()];
    for (int i = 0; i < count; i++) {
      JsonNode image = instances.get(i);
      String where = "instance " + i;
      if (image.isObject()) {
        image = namedInput(image, where);
      }
      readImage(image, out, i, where);
    }
    return new Batch(out, count);
  }

  /** Columnar format: {@code tensor} of shape {@code [batch, H, W, C]}, or {"images": tensor}. */
  Batch fromInputs(JsonNode inputs) {
    JsonNode tensor = inputs.isObject() ? namedInput(inputs, "\"inputs\"") : inputs;
    if (!tensor.isArray()) {
      throw ApiException.badRequest(
          "\"inputs\" must be a tensor of shape " + expected(true) + ", found " + kind(tensor));
    }
    if (tensor.size() == 0) {
      throw ApiException.badRequest("\"inputs\" holds no image: its first dimension is 0");
    }
    int count = tensor.size();
    float[] out = new float[count * (int) shape.size()];
    for (int i = 0; i < count; i++) {
      readImage(tensor.get(i), out, i, "inputs[" + i + "]");
    }
    return new Batch(out, count);
  }

  /** The {@code images} member of an object naming inputs; any other name is refused. */
  private JsonNode namedInput(JsonNode object, String where) {
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!name.equals(INPUT)) {
        throw ApiException.badRequest(
            where + ": unknown input \"" + name + "\"; the signature's only input is \"images\"");
      }
    }
    JsonNode tensor = object.get(INPUT);
    if (tensor == null) {
      throw ApiException.badRequest(where + ": missing input \"images\"");
    }
    return tensor;
  }

  /** Reads one {@code [H, W, C]} image into {@code out} at image index {@code index}. */
  private void readImage(JsonNode image, float[] out, int index, String where) {
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    requireList(image, h, where, "", 0);
    int base = index * h * w * c;
    for (int y = 0; y < h; y++) {
      JsonNode row = image.get(y);
      requireList(row, w, where, "[" + y + "]", 1);
      for (int x = 0; x < w; x++) {
        JsonNode pixel = row.get(x);
        requireList(pixel, c, where, "[" + y + "][" + x + "]", 2);
        for (int ch = 0; ch < c; ch++) {
          JsonNode v = pixel.get(ch);
          String at = where + " pixel [" + y + "][" + x + "][" + ch + "]";
          if (!v.isNumber()) {
            throw ApiException.badRequest(at + ": " + kind(v) + " is not of expected type: float");
          }
          double d = v.doubleValue();
          if (!Double.isFinite(d) || d < 0 || d > 1) {
            throw ApiException.badRequest(
                at + " is " + v.asText() + "; pixels must be finite and in [0, 1]");
          }
          out[base + (y * w + x) * c + ch] = (float) d;
        }
      }
    }
  }

  private void requireList(JsonNode node, int size, String where, String at, int depth) {
    if (!node.isArray() || node.size() != size) {
      String found = node.isArray() ? "a list of " + node.size() : kind(node);
      throw ApiException.badRequest(
          where
              + at
              + ": expected a list of "
              + size
              + " (each image is "
              + expected(false)
              + ", dimension "
              + depth
              + "), found "
              + found);
    }
  }

  /** The expected shape, written as TensorFlow does, with or without the batch dimension. */
  String expected(boolean batch) {
    return (batch ? "[-1, " : "[")
        + shape.height()
        + ", "
        + shape.width()
        + ", "
        + shape.channels()
        + "]";
  }

  private static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "the string \"" + abbreviate(node.asText()) + "\"";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    return switchKind(node);
  }

  private static String switchKind(JsonNode node) {
    switch (node.getNodeType()) {
      case ARRAY:
        return "a list";
      case OBJECT:
        return "an object";
      case BOOLEAN:
        return "the boolean " + node.asText();
      case NULL:
        return "null";
      default:
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 20 ? s : s.substring(0, 20) + "...";
  }
}
