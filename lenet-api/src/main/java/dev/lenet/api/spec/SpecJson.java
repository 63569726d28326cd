package dev.lenet.api.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.lenet.api.internal.Json;
import dev.lenet.api.io.FileErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Saves and loads a {@link ModelSpec} as JSON. The document is versioned and strict:
 *
 * <pre>{@code
 * {"format": 1, "input": [1, 28, 28], "layers": [{"type": "conv2d", "filters": 6, ...}, ...]}
 * }</pre>
 *
 * Unknown fields, missing fields and invalid specs fail with a {@link SpecFormatException} that
 * names the line, column and field.
 */
public final class SpecJson {

  /** The document format this version writes and reads. */
  public static final int FORMAT = 1;

  private static final ObjectMapper MAPPER =
      Json.builder()
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // A size is a JSON integer: 6.5, 6.0, "6" or true are refused, never truncated or
          // converted.
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .withCoercionConfig(
              LogicalType.Integer,
              c ->
                  c.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
          .build();

  private SpecJson() {}

  /** The spec as an indented JSON document. */
  public static String write(ModelSpec spec) {
    try {
      return MAPPER.writeValueAsString(new Document(FORMAT, spec.input().dims(), spec.layers()));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write spec as JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Writes the spec to {@code file} as JSON. */
  public static void write(ModelSpec spec, Path file) throws IOException {
    Files.writeString(file, write(spec), StandardCharsets.UTF_8);
  }

  /**
   * Reads a spec from a JSON document.
   *
   * @throws SpecFormatException naming line, column and field when the document is not a valid spec
   */
  public static ModelSpec read(String json) {
    return read(json, "spec JSON");
  }

  /**
   * Reads a spec from a JSON file.
   *
   * @throws SpecFormatException naming the file, line, column and field
   * @throws UncheckedIOException if the file cannot be read
   */
  public static ModelSpec read(Path file) {
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read spec file " + file + ": " + FileErrors.reason(e), e);
    }
    return read(json, file.toString());
  }

  private static ModelSpec read(String json, String source) {
    Document doc;
    try {
      doc = MAPPER.readValue(json, Document.class);
    } catch (JsonProcessingException e) {
      throw new SpecFormatException(source + ", " + where(e) + ": " + what(e), e);
    }
    if (doc.format() != FORMAT) {
      throw new SpecFormatException(
          source
              + ": format "
              + doc.format()
              + " is not supported; this version of lenet reads format "
              + FORMAT,
          null);
    }
    try {
      return new ModelSpec(new Shape(doc.input()), doc.layers());
    } catch (IllegalArgumentException e) {
      throw new SpecFormatException(source + ": " + e.getMessage(), e);
    }
  }

  private static String where(JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String where =
        at == null
            ? "at an unknown place"
            : "line " + at.getLineNr() + ", column " + at.getColumnNr();
    if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
      where += " (" + path(m) + ")";
    }
    return where;
  }

  private static String path(JsonMappingException e) {
    StringBuilder s = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getIndex() >= 0) {
        s.append('[').append(ref.getIndex()).append(']');
      } else if (ref.getFieldName() != null) {
        if (s.length() > 0) {
          s.append('.');
        }
        s.append(ref.getFieldName());
      }
    }
    return s.toString();
  }

  private static String what(JsonProcessingException e) {
    if (e.getCause() instanceof IllegalArgumentException invalid) {
      return invalid.getMessage();
    }
    if (e instanceof MismatchedInputException m && isInteger(m.getTargetType())) {
      return "expected an integer, found " + found(m);
    }
    String message = e.getOriginalMessage();
    int cut = message.indexOf(" (class ");
    return cut > 0 ? message.substring(0, cut) : message;
  }

  private static boolean isInteger(Class<?> type) {
    return type == int.class || type == Integer.class || type == long.class || type == Long.class;
  }

  /** The JSON value that was refused, as written where Jackson tells it. */
  private static String found(MismatchedInputException e) {
    if (e instanceof InvalidFormatException f && f.getValue() != null) {
      Object value = f.getValue();
      return value instanceof String text ? '"' + text + '"' : value.toString();
    }
    String message = e.getOriginalMessage();
    Matcher quoted = COERCED_VALUE.matcher(message);
    if (quoted.find()) {
      return quoted.group(1);
    }
    if (message.contains("VALUE_TRUE")) {
      return "true";
    }
    if (message.contains("VALUE_FALSE")) {
      return "false";
    }
    return "another kind of value";
  }

  private static final Pattern COERCED_VALUE = Pattern.compile("value \\((.*)\\) to `");

  /** The on-disk document. */
  private record Document(int format, List<Integer> input, List<Layer> layers) {}
}
