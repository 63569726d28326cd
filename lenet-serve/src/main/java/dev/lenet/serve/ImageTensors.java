package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lenet.api.spec.Shape;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the signature's one input, {@code images} float {@code [batch, H, W, C]} with pixels in [0,
 * 1], from a predict request in TensorFlow Serving's row ({@code instances}) or columnar ({@code
 * inputs}) format, straight from the streaming parser into one NHWC array: no tree is built. Every
 * fault is a 400 that says where and what.
 *
 * <p>Each reader starts at the value's first token and always consumes the whole value, so that a
 * later JSON syntax error still wins over a fault found here. Faults are returned, not thrown, and
 * the one reported is the one a check of the whole value in document order finds first: a list of
 * the wrong length is reported before anything wrong inside it.
 */
final class ImageTensors {

  static final String INPUT = "images";

  private final Shape shape;
  private final int height;
  private final int width;
  private final int channels;
  private final int imageSize;
  private final JsonNodes nodes;

  /**
   * @param nodes reads an offending value as a tree, for the message only
   */
  ImageTensors(Shape shape, JsonNodes nodes) {
    this.shape = shape;
    this.height = shape.height();
    this.width = shape.width();
    this.channels = shape.channels();
    this.imageSize = Math.toIntExact(shape.size());
    this.nodes = nodes;
  }

  /** The images of a request body, and how many there are. */
  record Batch(float[] nhwc, int count) {}

  /** Reads a value that is either a batch or a fault for the client. */
  record Outcome(Batch batch, ApiException fault) {
    static Outcome fault(String message) {
      return new Outcome(null, ApiException.badRequest(message));
    }

    /** The batch, or the fault thrown. */
    Batch batchOrThrow() {
      if (fault != null) {
        throw fault;
      }
      return batch;
    }
  }

  /** How a JSON value is read by the streaming parser, from its first token. */
  interface JsonNodes {
    /** The value at the parser's current token as a tree (consuming it). */
    JsonNode read(JsonParser p) throws IOException;
  }

  /** Row format: each instance is one image tensor, or an object {@code {"images": tensor}}. */
  Outcome fromInstances(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return Outcome.fault("\"instances\" must be a list, found " + kind(nodes.read(p)));
    }
    return readImages(p, false, "\"instances\" is empty: send at least one image");
  }

  /** Columnar format: {@code tensor} of shape {@code [batch, H, W, C]}, or {"images": tensor}. */
  Outcome fromInputs(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.START_OBJECT) {
      return namedInput(p, "\"inputs\"", this::fromTensor);
    }
    return fromTensor(p);
  }

  private Outcome fromTensor(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return Outcome.fault(
          "\"inputs\" must be a tensor of shape "
              + expected(true)
              + ", found "
              + kind(nodes.read(p)));
    }
    return readImages(p, true, "\"inputs\" holds no image: its first dimension is 0");
  }

  /**
   * The images of the list {@code p} is at, one per element: a tensor, or in the row format also an
   * object {@code {"images": tensor}}. After the first fault the rest is skipped, unread.
   */
  private Outcome readImages(JsonParser p, boolean columnar, String empty) throws IOException {
    Images out = new Images();
    ApiException first = null;
    int i = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (first != null) {
        p.skipChildren();
      } else {
        int base = out.add(i); // may grow the array: first
        if (!columnar && p.currentToken() == JsonToken.START_OBJECT) {
          int index = i;
          first = namedInput(p, "instance " + i, q -> imageOutcome(q, out.nhwc, base, index)).fault;
        } else {
          first = readImage(p, out.nhwc, base, columnar, i);
        }
      }
      i++;
    }
    if (i == 0) {
      return Outcome.fault(empty);
    }
    return first != null ? new Outcome(null, first) : new Outcome(out.batch(i), null);
  }

  /** A reader of the value of a named input. */
  private interface InputReader {
    Outcome read(JsonParser p) throws IOException;
  }

  /**
   * The {@code images} member of an object naming inputs (the last, if named twice) read by {@code
   * read}; any other name is refused first, then a missing one.
   */
  private Outcome namedInput(JsonParser p, String where, InputReader read) throws IOException {
    String unknown = null;
    Outcome images = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      if (name.equals(INPUT)) {
        images = read.read(p);
      } else {
        if (unknown == null) {
          unknown = name;
        }
        p.skipChildren();
      }
    }
    if (unknown != null) {
      return Outcome.fault(
          where + ": unknown input \"" + unknown + "\"; the signature's only input is \"images\"");
    }
    if (images == null) {
      return Outcome.fault(where + ": missing input \"images\"");
    }
    return images;
  }

  private Outcome imageOutcome(JsonParser p, float[] out, int base, int index) throws IOException {
    ApiException fault = readImage(p, out, base, false, index);
    return new Outcome(null, fault);
  }

  /**
   * Reads one {@code [H, W, C]} image into {@code out} from {@code base}; null, or the fault. The
   * image is {@code inputs[index]} when {@code columnar}, else {@code instance index}.
   */
  private ApiException readImage(JsonParser p, float[] out, int base, boolean columnar, int index)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return listFault(columnar, index, "", 0, height, kind(nodes.read(p)));
    }
    ApiException first = null;
    int y = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (first == null && y < height) {
        first = readRow(p, out, base + y * width * channels, columnar, index, y);
      } else {
        p.skipChildren();
      }
      y++;
    }
    return y != height ? listFault(columnar, index, "", 0, height, "a list of " + y) : first;
  }

  private ApiException readRow(
      JsonParser p, float[] out, int base, boolean columnar, int index, int y) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return listFault(columnar, index, "[" + y + "]", 1, width, kind(nodes.read(p)));
    }
    ApiException first = null;
    int x = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (first == null && x < width) {
        first = readPixel(p, out, base + x * channels, columnar, index, y, x);
      } else {
        p.skipChildren();
      }
      x++;
    }
    return x != width
        ? listFault(columnar, index, "[" + y + "]", 1, width, "a list of " + x)
        : first;
  }

  private ApiException readPixel(
      JsonParser p, float[] out, int base, boolean columnar, int index, int y, int x)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      return listFault(columnar, index, "[" + y + "][" + x + "]", 2, channels, kind(nodes.read(p)));
    }
    ApiException first = null;
    int ch = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (first == null && ch < channels) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
          double d = p.getDoubleValue();
          if (!Double.isFinite(d) || d < 0 || d > 1) {
            // As the number's tree would write it: an integer as sent, a float as a double.
            String value = t == JsonToken.VALUE_NUMBER_INT ? p.getText() : Double.toString(d);
            first =
                ApiException.badRequest(
                    pixel(columnar, index, y, x, ch)
                        + " is "
                        + value
                        + "; pixels must be finite and in [0, 1]");
          } else {
            out[base + ch] = (float) d;
          }
        } else {
          first =
              ApiException.badRequest(
                  pixel(columnar, index, y, x, ch)
                      + ": "
                      + kind(nodes.read(p))
                      + " is not of expected type: float");
        }
      } else {
        p.skipChildren();
      }
      ch++;
    }
    return ch != channels
        ? listFault(columnar, index, "[" + y + "][" + x + "]", 2, channels, "a list of " + ch)
        : first;
  }

  private static String where(boolean columnar, int index) {
    return columnar ? "inputs[" + index + "]" : "instance " + index;
  }

  private static String pixel(boolean columnar, int index, int y, int x, int ch) {
    return where(columnar, index) + " pixel [" + y + "][" + x + "][" + ch + "]";
  }

  private ApiException listFault(
      boolean columnar, int index, String at, int depth, int size, String found) {
    return ApiException.badRequest(
        where(columnar, index)
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

  /** What a value that is not the list expected is, for a message. */
  static String kind(JsonNode node) {
    if (node.isTextual()) {
      return "the string \"" + abbreviate(node.asText()) + "\"";
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
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

  /** The NHWC floats of a batch whose length is learnt as it is read: room for one image first. */
  private final class Images {
    float[] nhwc = new float[imageSize];

    /** Makes room for image {@code i}; its first float's index. */
    int add(int i) {
      int base = i * imageSize;
      if (base + imageSize > nhwc.length) {
        nhwc = Arrays.copyOf(nhwc, Math.max(base + imageSize, nhwc.length * 2));
      }
      return base;
    }

    Batch batch(int count) {
      int size = count * imageSize;
      return new Batch(nhwc.length == size ? nhwc : Arrays.copyOf(nhwc, size), count);
    }
  }
}
