package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.spec.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The reference for {@link PredictBody}: how lenet-serve read a {@code :predict} body before it
 * used the streaming parser (the whole body read as a tree, then checked), kept unchanged for
 * {@code PredictBodyDifferentialTest}. Its answer is written as a string: {@code "400 message"}, or
 * the format, the image count and the floats.
 */
final class TreePredictReference {

  private final ObjectMapper json;
  private final TreeImageTensors images;

  TreePredictReference(ObjectMapper json, Shape shape) {
    this.json = json;
    this.images = new TreeImageTensors(shape);
  }

  /** What the old code answered for {@code bytes}. */
  String answer(byte[] bytes) {
    JsonNode body;
    try {
      body = json.readTree(bytes);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      return "400 JSON Parse error: "
          + e.getOriginalMessage()
          + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return predict(body);
    } catch (ApiException e) {
      return e.status() + " " + e.getMessage();
    }
  }

  /** As {@link #answer}, for the new reader. */
  static String answer(PredictBody bodies, ImageTensors tensors, byte[] bytes) {
    try {
      PredictBody.Request r = bodies.read(bytes, tensors);
      return ok(r.rows(), r.batch().count(), r.batch().nhwc());
    } catch (ApiException e) {
      return e.status() + " " + e.getMessage();
    }
  }

  /** The syntax check alone: "ok" or the parse error, from the old code. */
  String syntax(byte[] bytes) {
    String a = answer(bytes);
    return a.startsWith("400 JSON Parse error") ? a : "ok";
  }

  private static String ok(boolean rows, int count, float[] nhwc) {
    return (rows ? "rows " : "columns ") + count + " " + Arrays.toString(nhwc);
  }

  private String predict(JsonNode body) {
    if (!body.isObject()) {
      throw ApiException.badRequest(
          "the request body must be a JSON object with \"instances\" or \"inputs\"");
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!List.of("instances", "inputs", "signature_name").contains(field)) {
        throw ApiException.badRequest(
            "unknown field \""
                + field
                + "\"; a predict request has \"instances\" or \"inputs\" and may have"
                + " \"signature_name\"");
      }
    }
    JsonNode signature = body.get("signature_name");
    if (signature != null
        && !(signature.isTextual()
            && (signature.asText().isEmpty()
                || signature.asText().equals(ServedModel.SIGNATURE)))) {
      throw ApiException.badRequest(
          "Serving signature name: "
              + signature
              + " not found in signature def; this model has only \""
              + ServedModel.SIGNATURE
              + "\"");
    }
    boolean rows = body.has("instances");
    boolean columns = body.has("inputs");
    if (rows == columns) {
      throw ApiException.badRequest(
          rows
              ? "the request has both \"instances\" and \"inputs\"; send one of them"
              : "the request has neither \"instances\" (row format) nor \"inputs\" (columnar"
                  + " format)");
    }
    TreeImageTensors.Batch batch =
        rows ? images.fromInstances(body.get("instances")) : images.fromInputs(body.get("inputs"));
    return ok(rows, batch.count(), batch.nhwc());
  }
}
