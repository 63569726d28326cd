package dev.lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.tf.TfModel;
import java.nio.file.Path;

/**
 * {@code GET /api/models} for the page: each model's name, input shape, class names, the spec's
 * summary (the rows of {@link ModelSpec#summary()}, from the same shape inference, and its text)
 * and the test accuracy of the run it came from.
 *
 * <p>The accuracy is the last epoch's {@code test_acc} in {@code metrics.json} of the model
 * directory's parent, the run directory {@code lenet train} writes; null when there is no such
 * file. It is read on each request, so a run still training shows its newest figure. No path in a
 * request names the file.
 */
final class ModelInfo {

  private final ObjectMapper json;

  ModelInfo(ObjectMapper json) {
    this.json = json;
  }

  /** {@code {"models": [...]}}, one object per model, in the order given. */
  JsonNode models(
      Iterable<String> names,
      java.util.function.Function<String, TfModel> model,
      java.util.function.Function<String, Path> dir) {
    ObjectNode root = json.createObjectNode();
    ArrayNode list = root.putArray("models");
    for (String name : names) {
      list.add(model(name, model.apply(name), dir.apply(name)));
    }
    return root;
  }

  private ObjectNode model(String name, TfModel model, Path dir) {
    ModelSpec spec = model.spec();
    ObjectNode m = json.createObjectNode().put("name", name);
    ArrayNode input = m.putArray("input_shape");
    spec.input().dims().forEach(input::add);
    ArrayNode classes = m.putArray("class_names");
    model.classNames().forEach(classes::add);
    m.put("parameters", spec.parameterCount());
    ArrayNode rows = m.putArray("summary");
    for (LayerInfo info : spec.layerInfos()) {
      ObjectNode row = rows.addObject();
      row.put("number", info.number()).put("layer", info.layer().describe());
      ArrayNode shape = row.putArray("output_shape");
      info.outputShape().dims().forEach(shape::add);
      row.put("parameters", info.parameters());
    }
    m.put("summary_text", spec.summary());
    testAccuracy(m, dir.toAbsolutePath().normalize().getParent());
    return m;
  }

  private void testAccuracy(ObjectNode m, Path run) {
    m.putNull("test_accuracy");
    if (run == null) {
      return;
    }
    try {
      JsonNode epochs = MetricsFile.read(run, json).path("epochs");
      JsonNode last = epochs.isArray() && epochs.size() > 0 ? epochs.get(epochs.size() - 1) : null;
      if (last != null && last.path("test_acc").isNumber()) {
        m.put("test_accuracy", last.get("test_acc").asDouble());
        m.put("epochs", last.path("epoch").asInt(epochs.size()));
      }
    } catch (MetricsFile.Unreadable e) {
      m.put("test_accuracy_error", "the run's " + e.getMessage());
    }
  }
}
