package dev.lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * The models' routes: TensorFlow Serving's REST API under {@code /v1/models/} (status, metadata,
 * {@code :predict}, {@code :classify}/{@code :regress} refused as TF Serving refuses them, each
 * with {@code /versions/1}), our {@code :predictImage}, and {@code GET /api/models} for the page.
 * Paths are parsed here; answers are made by {@link ServedModel}, {@link ImagePredictions} and
 * {@link ModelInfo}.
 */
final class ModelRoutes {

  private final Map<String, ServedModel> models;
  private final BooleanSupplier closed;
  private final Map<String, Path> modelDirs;
  private final ObjectMapper json;
  private final PredictBody bodies;
  private final long maxBodyBytes;
  private final ImagePredictions images;

  /**
   * Routes to {@code models} (read as requests come: the server fills the map before it listens),
   * answering 503 once {@code closed} says so.
   */
  ModelRoutes(
      Map<String, ServedModel> models,
      BooleanSupplier closed,
      Map<String, Path> modelDirs,
      ObjectMapper json,
      PredictBody bodies,
      long maxBodyBytes,
      long maxImagePixels) {
    this.models = models;
    this.closed = closed;
    this.modelDirs = modelDirs;
    this.json = json;
    this.bodies = bodies;
    this.maxBodyBytes = maxBodyBytes;
    this.images = new ImagePredictions(maxImagePixels, maxBodyBytes, json);
  }

  void register(JavalinConfig config) {
    config.jetty.multipartConfig.maxFileSize(maxBodyBytes, SizeUnit.BYTES);
    config.jetty.multipartConfig.maxTotalRequestSize(maxBodyBytes, SizeUnit.BYTES);
    config.jetty.multipartConfig.maxInMemoryFileSize((int) maxBodyBytes, SizeUnit.BYTES);
    config.routes.get(
        "/v1/models/<path>", ctx -> JsonAnswers.answer(ctx, json, get(ctx.pathParam("path"))));
    config.routes.post(
        "/v1/models/<path>",
        ctx -> {
          String path = ctx.pathParam("path");
          if (path.endsWith(":predictImage")) {
            JsonAnswers.answer(ctx, json, images.predict(model(path, ":predictImage"), ctx));
          } else {
            ctx.status(200).contentType("application/json").result(post(path, body(ctx)));
          }
        });
    config.routes.get(
        "/api/models",
        ctx ->
            JsonAnswers.answer(
                ctx,
                json,
                new ModelInfo(json)
                    .models(
                        List.copyOf(new TreeSet<>(modelDirs.keySet())),
                        n -> resolve(List.of(n), n, "GET").model(),
                        modelDirs::get)));
  }

  /** GET {@code name}, {@code name/metadata}, and both with {@code /versions/V} after the name. */
  private JsonNode get(String path) {
    List<String> parts = List.of(path.split("/", -1));
    boolean metadata = parts.get(parts.size() - 1).equals("metadata");
    List<String> spec = metadata ? parts.subList(0, parts.size() - 1) : parts;
    ServedModel model = resolve(spec, path, "GET");
    return metadata ? model.metadata() : model.status();
  }

  /**
   * POST {@code name:predict} (also with {@code /versions/V}); classify and regress refused. A body
   * that is not JSON is refused as such first, whatever else is wrong.
   */
  private byte[] post(String path, byte[] body) {
    int colon = path.lastIndexOf(':');
    ServedModel model;
    try {
      if (colon < 0) {
        throw malformed("POST", path);
      }
      model = resolve(List.of(path.substring(0, colon).split("/", -1)), path, "POST");
    } catch (ApiException e) {
      bodies.checkSyntax(body);
      throw e;
    }
    String method = path.substring(colon + 1);
    if (method.equals("predict")) {
      return model.predict(body);
    }
    bodies.checkSyntax(body);
    switch (method) {
      case "classify":
      case "regress":
        throw ApiException.badRequest(
            "Expected "
                + (method.equals("classify") ? "classification" : "regression")
                + " signature method_name to be tensorflow/serving/"
                + method
                + ". Was: tensorflow/serving/predict");
      default:
        throw malformed("POST", path);
    }
  }

  /** The model of {@code path}, {@code name[/versions/V]} followed by {@code method}. */
  private ServedModel model(String path, String method) {
    String spec = path.substring(0, path.length() - method.length());
    return resolve(List.of(spec.split("/", -1)), path, "POST");
  }

  /** {@code [name]} or {@code [name, "versions", V]} to a model. */
  private ServedModel resolve(List<String> parts, String path, String method) {
    if (parts.size() != 1 && !(parts.size() == 3 && parts.get(1).equals("versions"))) {
      throw malformed(method, path);
    }
    String name = parts.get(0);
    if (closed.getAsBoolean()) {
      throw new ApiException(
          503, "the server is shutting down; model \"" + name + "\" takes no more requests");
    }
    ServedModel model = models.get(name);
    if (model == null) {
      throw ApiException.notFound(
          "Servable not found for request: Latest("
              + name
              + "); served: "
              + new TreeSet<>(models.keySet()));
    }
    if (parts.size() == 3 && !parts.get(2).equals(LenetServer.VERSION)) {
      if (!parts.get(2).matches("[0-9]+")) {
        throw ApiException.badRequest(
            "version \"" + parts.get(2) + "\" is not a number; this server serves version 1");
      }
      throw ApiException.notFound(
          "Servable not found for request: Specific("
              + name
              + ", "
              + parts.get(2)
              + "); this server serves version 1");
    }
    return model;
  }

  private static ApiException malformed(String method, String path) {
    return ApiException.notFound("Malformed request: " + method + " /v1/models/" + path);
  }

  /**
   * The request body, refused with 413 over the limit and 400 if empty; JSON syntax is checked
   * where it is read (see {@link PredictBody}).
   */
  private byte[] body(Context ctx) throws IOException {
    return RequestBody.read(
        ctx,
        maxBodyBytes,
        "send fewer images per request",
        "the request body is empty; expected a JSON object");
  }
}
