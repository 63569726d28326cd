package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.spec.Shape;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The streaming reader of predict bodies ({@link PredictBody}, {@link ImageTensors}) against the
 * tree reader it replaced ({@link TreePredictReference}): many random bodies, valid and not (shapes
 * off by one at each level, numbers written every way JSON allows, wrong types at every level,
 * unknown and repeated members, syntax errors, trailing values), must get the same images or the
 * same message.
 */
class PredictBodyDifferentialTest {

  private static final ObjectMapper JSON = LenetServer.jsonMapper();

  /** The reference parses numbers with the JDK's parser, as the server did before. */
  private static final ObjectMapper TREE_JSON =
      ((JsonMapper) JSON).rebuild().disable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();

  private static final String[] GOOD_PIXELS = {
    "0",
    "1",
    "0.5",
    "5e-1",
    "5E-1",
    "1E0",
    "0.25e+0",
    "-0",
    "-0.0",
    "0.0",
    "1.0",
    "0.1",
    "0.00392156862745098",
    "0.003921569",
    "1e-45",
    "2.5E-3",
    "0.30000000000000004",
    "0.999999999"
  };

  private static final String[] BAD_PIXELS = {
    "1.5",
    "-0.25",
    "2",
    "-1",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "123456789012345678901234567890",
    "12345678901",
    "1.0000001",
    "\"white\"",
    "\"a string longer than twenty characters\"",
    "true",
    "false",
    "null",
    "[0.5]",
    "{}",
    "{\"images\": 0.5}",
    "[]"
  };

  private static final String[] SYNTAX_INSERTS = {
    "[", "]", "{", "}", ",", ":", "\"", "x", "0", "-"
  };

  @Test
  void randomBodiesGetTheSameImagesOrMessagesAsTheTreeReader() {
    Map<String, Integer> outcomes = new HashMap<>();
    int cases = 0;
    for (Shape shape :
        List.of(Shape.image(1, 3, 2), Shape.image(2, 2, 2), Shape.image(1, 28, 28))) {
      int n = shape.height() == 28 ? 500 : 10_000;
      Random random = new Random(13L * shape.size());
      Generator g = new Generator(random, shape);
      for (int i = 0; i < n; i++) {
        String body = g.body();
        String expected = check(shape, body);
        outcomes.merge(kindOf(expected), 1, Integer::sum);
        cases++;
      }
    }
    // The generator must reach every kind of answer, or the comparison proves little.
    assertThat(outcomes.keySet())
        .contains(
            "rows",
            "columns",
            "JSON Parse error",
            "Trailing token",
            "unknown field",
            "unknown input",
            "missing input",
            "Serving signature name",
            "both",
            "neither",
            "empty",
            "holds no image",
            "must be a list",
            "must be a tensor",
            "dimension 0",
            "dimension 1",
            "dimension 2",
            "pixels must be finite",
            "not of expected type",
            "must be a JSON object");
    assertThat(cases).isGreaterThan(20_000);
  }

  @Test
  void fixedBodiesGetTheSameAnswers() {
    Shape shape = Shape.image(1, 2, 2);
    for (String body :
        List.of(
            "{\"instances\": [[[[0],[1]],[[0.5],[5e-1]]]]}",
            "{\"inputs\": {\"images\": [[[[0],[1]],[[0.5],[1]]]]}}",
            "{\"instances\": [{\"images\": [[[0],[1]],[[0.5],[1]]]}], \"signature_name\": \"\"}",
            "{\"instances\": [{\"images\": 1, \"images\": [[[0],[1]],[[0.5],[1]]]}]}",
            "{\"instances\": [[[[0],[1]],[[0.5],[1]]]], \"instances\": 3}",
            "{\"instances\": [[[[0],[1]],[[0.5],[1]]], [[[0],[1]]]], \"inputs\": 1}",
            "{\"signature_name\": {\"a\": [1, 2.50]}, \"instances\": []}",
            "{\"signature_name\": 12345678901234567890123, \"instances\": []}",
            "{\"signature_name\": \"tr\\\"ain\", \"instances\": []}",
            "{\"instances\": [[[[1e30]]]]}",
            "{\"instances\": [[[[0],[1]],[[123456789012345678901234567890],[1]]]]}",
            "{\"instances\": [[[[0],[1]],[[0.5],[1]]]]} {}",
            "{\"instances\": [[[[0],[1]],[[0.5],[1]]]]} x",
            "{\"instances\": [[[[0],[1]],[[0.5],[1]]]]} ]",
            "{\"instances\": [[[[\"\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9"
                + "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\"]]]]}",
            "   ",
            "null",
            "[1, 2]",
            "\"x\" 1",
            "{\"instances\": [[[[0]]]], \"foo\": [1, }",
            "{\"a\": 1, \"b\": 2, \"instances\": [[[[0]]]]}",
            "{\"instances\": [1, 2")) {
      check(shape, body);
    }
  }

  @Test
  void answersAreTheBytesTheTreeWriterWrote() throws Exception {
    Random random = new Random(13);
    float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, -0f, 0f, 1f, Float.MIN_VALUE, 1e-7f};
    for (int round = 0; round < 500; round++) {
      boolean rows = random.nextBoolean();
      int count = 1 + random.nextInt(5);
      float[][] logits = new float[count][10];
      float[][] probabilities = new float[count][10];
      for (int i = 0; i < count; i++) {
        for (int c = 0; c < 10; c++) {
          logits[i][c] =
              random.nextInt(20) == 0
                  ? specials[random.nextInt(specials.length)]
                  : (float) (random.nextGaussian() * 10);
          probabilities[i][c] = random.nextFloat();
        }
      }
      ObjectNode root = JSON.createObjectNode();
      if (rows) {
        ArrayNode predictions = root.putArray("predictions");
        for (int i = 0; i < count; i++) {
          ObjectNode p = predictions.addObject();
          addFloats(p.putArray("logits"), logits[i]);
          addFloats(p.putArray("probabilities"), probabilities[i]);
        }
      } else {
        ObjectNode outputs = root.putObject("outputs");
        ArrayNode l = outputs.putArray("logits");
        ArrayNode p = outputs.putArray("probabilities");
        for (int i = 0; i < count; i++) {
          addFloats(l.addArray(), logits[i]);
          addFloats(p.addArray(), probabilities[i]);
        }
      }
      byte[] written =
          PredictAnswer.write(JSON, rows, count, i -> logits[i], i -> probabilities[i]);
      assertThat(new String(written, StandardCharsets.UTF_8))
          .isEqualTo(new String(JSON.writeValueAsBytes(root), StandardCharsets.UTF_8));
    }
  }

  private static void addFloats(ArrayNode array, float[] values) {
    for (float v : values) {
      array.add(v);
    }
  }

  /** Both readers' answers to {@code body}, which must be equal; the answer. */
  private static String check(Shape shape, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    TreePredictReference tree = new TreePredictReference(TREE_JSON, shape);
    PredictBody bodies = new PredictBody(JSON);
    ImageTensors tensors = new ImageTensors(shape, bodies.nodes());
    String expected = tree.answer(bytes);
    String actual = TreePredictReference.answer(bodies, tensors, bytes);
    assertThat(actual).as("shape %s, body %s", shape, body).isEqualTo(expected);
    String syntax;
    try {
      bodies.checkSyntax(bytes);
      syntax = "ok";
    } catch (ApiException e) {
      syntax = e.status() + " " + e.getMessage();
    }
    assertThat(syntax).as("syntax of %s", body).isEqualTo(tree.syntax(bytes));
    return expected;
  }

  private static String kindOf(String answer) {
    for (String kind :
        List.of(
            "Trailing token",
            "JSON Parse error",
            "unknown field",
            "unknown input",
            "missing input",
            "Serving signature name",
            "both",
            "neither",
            "is empty",
            "holds no image",
            "must be a list",
            "must be a tensor",
            "dimension 0",
            "dimension 1",
            "dimension 2",
            "pixels must be finite",
            "not of expected type",
            "must be a JSON object")) {
      if (answer.contains(kind)) {
        return kind.equals("is empty") ? "empty" : kind;
      }
    }
    return answer.startsWith("rows") ? "rows" : answer.startsWith("columns") ? "columns" : answer;
  }

  /** Random predict bodies: mostly nearly right, each fault somewhere at random. */
  private static final class Generator {
    private final Random random;
    private final Shape shape;

    Generator(Random random, Shape shape) {
      this.random = random;
      this.shape = shape;
    }

    private boolean chance(double p) {
      return random.nextDouble() < p;
    }

    private <T> T pick(T[] values) {
      return values[random.nextInt(values.length)];
    }

    String body() {
      if (chance(0.02)) {
        return pick(new String[] {"[1, 2]", "null", "  ", "\"x\"", "3", "[]", "true"});
      }
      StringBuilder b = new StringBuilder();
      List<String> members = new ArrayList<>();
      boolean rows = chance(0.5);
      members.add(rows ? "\"instances\": " + instances() : "\"inputs\": " + inputs());
      if (chance(0.05)) {
        members.add(rows ? "\"inputs\": " + inputs() : "\"instances\": " + instances());
      }
      if (chance(0.05)) {
        members.clear(); // neither
      }
      if (chance(0.2)) {
        members.add(
            "\"signature_name\": "
                + pick(
                    new String[] {
                      "\"serving_default\"",
                      "\"\"",
                      "\"train\"",
                      "null",
                      "1",
                      "[\"x\"]",
                      "{\"a\": 1.50}",
                      "\"serving_default\""
                    }));
      }
      if (chance(0.05)) {
        members.add(pick(new String[] {"\"instance\"", "\"x\"", "\"images\""}) + ": " + value(1));
      }
      if (chance(0.05) && !members.isEmpty()) {
        members.add(members.get(random.nextInt(members.size()))); // a member named twice
      }
      java.util.Collections.shuffle(members, random);
      b.append('{').append(String.join(", ", members)).append('}');
      String s = b.toString();
      if (chance(0.03)) {
        s += pick(new String[] {" {}", " 1", " ]", " x", " \"a\"", "\n\n  []"});
      }
      if (chance(0.08)) {
        s = syntaxFault(s);
      }
      return s;
    }

    private String syntaxFault(String s) {
      int at = random.nextInt(s.length() + 1);
      switch (random.nextInt(3)) {
        case 0:
          return s.substring(0, at);
        case 1:
          return at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
        default:
          return s.substring(0, at) + pick(SYNTAX_INSERTS) + s.substring(at);
      }
    }

    private String instances() {
      if (chance(0.02)) {
        return value(0);
      }
      int n = chance(0.03) ? 0 : 1 + random.nextInt(chance(0.8) ? 1 : 4);
      List<String> items = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        items.add(chance(0.2) ? named(image()) : image());
      }
      return "[" + String.join(",", items) + "]";
    }

    private String inputs() {
      String tensor;
      if (chance(0.02)) {
        tensor = value(0);
      } else {
        int n = chance(0.03) ? 0 : 1 + random.nextInt(chance(0.8) ? 1 : 4);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(image());
        }
        tensor = "[" + String.join(",", items) + "]";
      }
      return chance(0.2) ? named(tensor) : tensor;
    }

    /** {"images": value}, sometimes with another member or named twice or missing. */
    private String named(String value) {
      List<String> members = new ArrayList<>();
      if (!chance(0.03)) {
        members.add("\"images\": " + value);
      }
      if (chance(0.05)) {
        members.add("\"pixels\": " + value(1));
      }
      if (chance(0.05)) {
        members.add("\"images\": " + (chance(0.5) ? image() : value(1)));
      }
      if (chance(0.03)) {
        members.add("\"other\": 1");
      }
      java.util.Collections.shuffle(members, random);
      return "{" + String.join(", ", members) + "}";
    }

    /** An image, sometimes with one list off by one or one element of a wrong kind. */
    private String image() {
      if (chance(0.01)) {
        return value(0);
      }
      int[] dims = {shape.height(), shape.width(), shape.channels()};
      return list(dims, 0, chance(0.15) ? random.nextInt(3) : -1, chance(0.15));
    }

    private String list(int[] dims, int depth, int offLevel, boolean wrongType) {
      int size = dims[depth];
      if (depth == offLevel && chance(0.3)) {
        size += chance(0.5) ? 1 : -1;
      }
      StringBuilder b = new StringBuilder("[");
      for (int i = 0; i < size; i++) {
        if (i > 0) {
          b.append(chance(0.1) ? ", " : ",");
        }
        if (wrongType && chance(0.03)) {
          b.append(value(depth + 1));
        } else if (depth + 1 == dims.length) {
          b.append(chance(0.02) ? pick(BAD_PIXELS) : pixel());
        } else {
          b.append(list(dims, depth + 1, offLevel, wrongType));
        }
      }
      return b.append(']').toString();
    }

    private String pixel() {
      switch (random.nextInt(5)) {
        case 0:
          return pick(GOOD_PIXELS);
        case 4:
          // Up to 30 digits, some past what a double holds: rounding must match the JDK's.
          StringBuilder digits = new StringBuilder("0.");
          for (int i = 1 + random.nextInt(30); i > 0; i--) {
            digits.append((char) ('0' + random.nextInt(10)));
          }
          return digits + (random.nextBoolean() ? "" : "e" + -random.nextInt(5));
        case 1:
          return Float.toString(random.nextInt(256) / 255f);
        case 2:
          return Double.toString(random.nextDouble());
        default:
          return String.format(java.util.Locale.ROOT, "%.6e", random.nextDouble());
      }
    }

    /** Any JSON value of the wrong kind somewhere. */
    private String value(int depth) {
      switch (random.nextInt(6)) {
        case 0:
          return pick(BAD_PIXELS);
        case 1:
          return "\"" + "s".repeat(random.nextInt(30)) + "\"";
        case 2:
          return depth > 3 ? "[]" : "[" + value(depth + 1) + ", " + value(depth + 1) + "]";
        case 3:
          return depth > 3 ? "{}" : "{\"k\": " + value(depth + 1) + "}";
        case 4:
          return pick(GOOD_PIXELS);
        default:
          return pick(new String[] {"true", "null", "false", "-7", "3.25E2"});
      }
    }
  }
}
