package dev.lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.spec.Shape;
import dev.lenet.tf.TfModel;
import java.util.List;

/** One loaded model and its answers in TensorFlow Serving's shapes. */
final class ServedModel implements AutoCloseable {

  static final String SIGNATURE = "serving_default";
  static final List<String> OUTPUTS = List.of("logits", "probabilities");

  private final String name;
  private final TfModel model;
  private final ObjectMapper json;
  private final PredictBody bodies;
  private final ImageTensors images;
  private final BatchOptions batching;
  private final PredictBatcher batcher;

  ServedModel(String name, TfModel model, ObjectMapper json, BatchOptions batching) {
    this.name = name;
    this.model = model;
    this.json = json;
    this.bodies = new PredictBody(json);
    this.images = new ImageTensors(model.spec().input(), bodies.nodes());
    this.batching = batching;
    this.batcher =
        batching.enabled()
            ? new PredictBatcher(
                name,
                model::signature,
                batching.maxBatchSize(),
                batching.timeoutMicros(),
                batching.threads(),
                batching.batchSizes())
            : null;
  }

  /**
   * The outputs for {@code count} images in NHWC order: through the batcher when batching is on,
   * else one model call of their own (told to the batch-size listener as a batch).
   */
  PredictBatcher.Slice run(float[] nhwc, int count) {
    if (batcher != null) {
      return batcher.predict(nhwc, count);
    }
    batching.batchSizes().accept(count);
    return new PredictBatcher.Slice(model.signature(nhwc, count), 0, count);
  }

  /** The batcher gathering this model's predict requests, or null when batching is off. */
  PredictBatcher batcher() {
    return batcher;
  }

  /** {@code GET /v1/models/{name}}: one version, available. */
  JsonNode status() {
    ObjectNode root = json.createObjectNode();
    ObjectNode v = root.putArray("model_version_status").addObject();
    v.put("version", LenetServer.VERSION).put("state", "AVAILABLE");
    v.putObject("status").put("error_code", "OK").put("error_message", "");
    return root;
  }

  /** {@code GET /v1/models/{name}/metadata}: the signature as the SavedModel exports it. */
  JsonNode metadata() {
    ObjectNode root = json.createObjectNode();
    root.putObject("model_spec")
        .put("name", name)
        .put("signature_name", "")
        .put("version", LenetServer.VERSION);
    ObjectNode sig =
        root.putObject("metadata")
            .putObject("signature_def")
            .putObject("signature_def")
            .putObject(SIGNATURE);
    Shape in = model.spec().input();
    tensorInfo(
        sig.putObject("inputs"), ImageTensors.INPUT, -1, in.height(), in.width(), in.channels());
    ObjectNode outputs = sig.putObject("outputs");
    for (String out : OUTPUTS) {
      tensorInfo(outputs, out, -1, model.classNames().size());
    }
    sig.put("method_name", "tensorflow/serving/predict");
    return root;
  }

  private static void tensorInfo(ObjectNode parent, String tensor, long... dims) {
    ObjectNode info = parent.putObject(tensor);
    info.put("dtype", "DT_FLOAT");
    ObjectNode shape = info.putObject("tensor_shape");
    ArrayNode dim = shape.putArray("dim");
    for (long d : dims) {
      dim.addObject().put("size", Long.toString(d)).put("name", "");
    }
    shape.put("unknown_rank", false);
    info.put("name", tensor + ":0");
  }

  /**
   * {@code POST /v1/models/{name}:predict} in the row or the columnar format: the body read by the
   * streaming parser, the answer written by a generator, both without a tree.
   */
  byte[] predict(byte[] body) {
    PredictBody.Request request = bodies.read(body, images);
    ImageTensors.Batch batch = request.batch();
    PredictBatcher.Slice out = run(batch.nhwc(), batch.count());
    return PredictAnswer.write(json, request.rows(), out.count(), out::logits, out::probabilities);
  }

  /** The loaded model, for answers beyond TensorFlow Serving's (images, the page's model info). */
  TfModel model() {
    return model;
  }

  /** Batches wait for nothing from now on (see {@link PredictBatcher#hurry()}). */
  void hurryBatching() {
    if (batcher != null) {
      batcher.hurry();
    }
  }

  /**
   * Runs the requests waiting for a batch now and refuses later ones with 503; with batching off,
   * does nothing.
   */
  void stopBatching() {
    if (batcher != null) {
      batcher.close();
    }
  }

  @Override
  public void close() {
    try {
      if (batcher != null) {
        batcher.close(); // answers what is queued while the model is still open
      }
    } finally {
      model.close();
    }
  }
}
