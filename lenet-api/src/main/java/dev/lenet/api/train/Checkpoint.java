package dev.lenet.api.train;

import dev.lenet.api.spec.ModelSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything needed to continue a run exactly: the spec, the recipe, the epochs done with their
 * metrics, and every trainable and optimizer tensor by name. The per-epoch shuffle depends only on
 * the seed and the epoch number, so the epoch is the whole random state.
 *
 * @param spec the network
 * @param config the recipe, including the total epochs
 * @param classNames one per class
 * @param epoch epochs completed
 * @param history metrics of those epochs
 * @param tensors weights (API names and layouts) and backend optimizer state, by name
 */
public record Checkpoint(
    ModelSpec spec,
    TrainingConfig config,
    List<String> classNames,
    int epoch,
    List<EpochMetrics> history,
    Map<String, float[]> tensors) {

  public Checkpoint {
    classNames = List.copyOf(classNames);
    history = List.copyOf(history);
    tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    if (epoch < 0 || epoch > config.epochs() || history.size() != epoch) {
      throw new IllegalArgumentException(
          "checkpoint after epoch "
              + epoch
              + " of "
              + config.epochs()
              + " with "
              + history.size()
              + " epochs of metrics");
    }
  }
}
