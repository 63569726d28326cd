package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

/** JSON answers and TensorFlow Serving's error shape, {@code {"error": "..."}}, for every route. */
final class JsonAnswers {

  private JsonAnswers() {}

  /** 200 with {@code body}. */
  static void answer(Context ctx, ObjectMapper json, JsonNode body) throws JsonProcessingException {
    ctx.status(200).contentType("application/json").result(json.writeValueAsBytes(body));
  }

  /** {@code status} with {@code {"error": message}}. */
  static void error(Context ctx, ObjectMapper json, int status, String message) {
    RequestBody.drain(ctx);
    ObjectNode body = json.createObjectNode().put("error", message);
    try {
      ctx.status(status).contentType("application/json").result(json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      ctx.status(500).result("{\"error\": \"internal error\"}");
    }
  }
}
