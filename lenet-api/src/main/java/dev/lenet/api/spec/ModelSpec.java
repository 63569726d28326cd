package dev.lenet.api.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An immutable description of a sequential network: the shape of one input example and the layers
 * in order. Value equality; no weights.
 *
 * <p>Construction runs shape inference, so every {@code ModelSpec} that exists is valid: each layer
 * accepts its input and the last layer outputs a vector (one score per class). Build one with
 * {@link #builder()}, or take {@link LeNet#classic()}.
 *
 * <p>Sizes are bounded: the input and every layer's output at most {@link #MAX_ACTIVATIONS} values
 * per example, every layer at most {@link #MAX_LAYER_PARAMETERS} parameters. Both are about 200
 * times what the book's LeNet needs, and far below where sizes overflow Java's {@code int} or
 * exhaust memory; a spec over them fails here, naming the layer, rather than in a backend.
 *
 * @param input the shape of one example, {@code (channels, height, width)}
 * @param layers the layers, applied in order
 */
public record ModelSpec(Shape input, List<Layer> layers) {

  /**
   * Most values one example may have at the input or at any layer's output: 1,000,000 (4 MB as
   * float32; a batch of 256 makes 1 GB of that one layer's output). The book's LeNet peaks at 4,704
   * (6x28x28).
   */
  public static final long MAX_ACTIVATIONS = 1_000_000;

  /**
   * Most scalars one layer may hold, trainable or state: 10,000,000 (40 MB as float32, and the
   * optimizer keeps up to two copies more). The book's LeNet's largest layer holds 48,120.
   */
  public static final long MAX_LAYER_PARAMETERS = 10_000_000;

  public ModelSpec {
    Objects.requireNonNull(input, "input shape");
    layers = List.copyOf(layers);
    infer(input, layers);
  }

  /** A fluent builder that reads like the book's {@code nn.Sequential}. */
  public static ModelSpecBuilder builder() {
    return new ModelSpecBuilder();
  }

  /** Shape inference for every layer, in order. */
  public List<LayerInfo> layerInfos() {
    return infer(input, layers);
  }

  /** The shape of the network's output for one example: {@code (classes)}. */
  public Shape outputShape() {
    List<LayerInfo> infos = layerInfos();
    return infos.get(infos.size() - 1).outputShape();
  }

  /** The number of classes the network scores, the size of its output vector. */
  public int classes() {
    return outputShape().dim(0);
  }

  /** Trainable scalars in the whole network. */
  public long parameterCount() {
    return layerInfos().stream().mapToLong(LayerInfo::parameters).sum();
  }

  /** A Keras-style table: one row per layer with output shape and parameters, then the total. */
  public String summary() {
    return Summaries.table(this);
  }

  /**
   * The book's printout for a batch of one, a line per layer: {@code Conv2d output shape: (1, 6,
   * 28, 28)}.
   */
  public String shapePrintout() {
    return Summaries.bookPrintout(this);
  }

  private static List<LayerInfo> infer(Shape input, List<Layer> layers) {
    if (layers.isEmpty()) {
      throw new IllegalArgumentException("a model needs at least one layer, found none");
    }
    SpecLimits.requireActivations("input", input.toString(), SpecLimits.count(input.dims()));
    List<LayerInfo> infos = new ArrayList<>(layers.size());
    Shape shape = input;
    for (int i = 0; i < layers.size(); i++) {
      Layer layer = Objects.requireNonNull(layers.get(i), "layer " + (i + 1));
      Shape out;
      try {
        out = layer.outputShape(shape);
        SpecLimits.requireActivations("output", out.toString(), SpecLimits.count(out.dims()));
        SpecLimits.requireParameters(layer.parameters(shape));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "layer " + (i + 1) + " (" + layer.describe() + "): " + e.getMessage(), e);
      }
      infos.add(new LayerInfo(i + 1, layer, shape, out, layer.parameterCount(shape)));
      shape = out;
    }
    if (!shape.isVector()) {
      Layer last = layers.get(layers.size() - 1);
      throw new IllegalArgumentException(
          "layer "
              + layers.size()
              + " ("
              + last.describe()
              + "): the model's output "
              + shape
              + " is not a vector of class scores; end with flatten() and dense(classes)");
    }
    return List.copyOf(infos);
  }
}
