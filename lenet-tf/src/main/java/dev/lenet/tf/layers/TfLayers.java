package dev.lenet.tf.layers;

import dev.lenet.api.spec.AvgPool2d;
import dev.lenet.api.spec.BatchNorm;
import dev.lenet.api.spec.Conv2d;
import dev.lenet.api.spec.Dense;
import dev.lenet.api.spec.Dropout;
import dev.lenet.api.spec.Flatten;
import dev.lenet.api.spec.Layer;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.MaxPool2d;
import dev.lenet.api.spec.Relu;
import dev.lenet.api.spec.Sigmoid;
import dev.lenet.api.spec.Tanh;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The TensorFlow class of every layer kind: the backend's one table of kinds. A kind missing here
 * fails {@code TfLayersTest}, which walks every record the sealed {@link Layer} permits, and {@link
 * #create} names it; nothing falls back to another kind.
 */
public final class TfLayers {

  private static final Map<Class<? extends Layer>, BiFunction<LayerInfo, TfVariables, TfLayer>>
      KINDS =
          Map.ofEntries(
              Map.entry(Conv2d.class, TfConv2d::new),
              Map.entry(Dense.class, TfDense::new),
              Map.entry(AvgPool2d.class, TfAvgPool2d::new),
              Map.entry(MaxPool2d.class, TfMaxPool2d::new),
              Map.entry(Sigmoid.class, TfSigmoid::new),
              Map.entry(Relu.class, TfRelu::new),
              Map.entry(Tanh.class, TfTanh::new),
              Map.entry(Flatten.class, TfFlatten::new),
              Map.entry(BatchNorm.class, TfBatchNorm::new),
              Map.entry(Dropout.class, TfDropout::new));

  private TfLayers() {}

  /**
   * The compiled form of one layer, using {@code vars} for its variables.
   *
   * @throws IllegalStateException if this backend has no class for the layer's kind
   */
  public static TfLayer create(LayerInfo info, TfVariables vars) {
    var make = KINDS.get(info.layer().getClass());
    if (make == null) {
      throw new IllegalStateException(
          "layer "
              + info.number()
              + " ("
              + info.layer().describe()
              + "): the TensorFlow backend has no class for "
              + info.layer().getClass().getSimpleName()
              + " layers");
    }
    return make.apply(info, vars);
  }

  /** The layer kinds this backend compiles. */
  public static Set<Class<? extends Layer>> kinds() {
    return KINDS.keySet();
  }
}
