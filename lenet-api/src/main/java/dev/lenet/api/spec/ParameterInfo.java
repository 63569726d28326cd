package dev.lenet.api.spec;

import java.util.List;

/**
 * One trainable tensor of a network, in the book's (PyTorch) layout.
 *
 * <p>Names are {@code layer<N>.weight} and {@code layer<N>.bias}, {@code N} the layer's number from
 * 1. Layouts: a {@link Conv2d} weight is {@code (filters, channels, kernelHeight, kernelWidth)}, a
 * {@link Dense} weight is {@code (units, inputFeatures)}, a bias is {@code (filters)} or {@code
 * (units)}. Values are stored row-major in that layout.
 *
 * @param name e.g. {@code layer1.weight}
 * @param layerNumber the layer, from 1
 * @param shape dimensions in the layout above
 * @param fanIn inputs feeding each output (channels * kernel area, or input features)
 * @param fanOut outputs each input feeds (filters * kernel area, or units)
 * @param bias whether this is a bias
 */
public record ParameterInfo(
    String name, int layerNumber, List<Integer> shape, int fanIn, int fanOut, boolean bias) {

  public ParameterInfo {
    shape = List.copyOf(shape);
  }

  /** Number of scalars. */
  public int size() {
    int n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }

  /** The trainable tensors of {@code spec}, weight before bias, layer by layer. */
  public static List<ParameterInfo> of(ModelSpec spec) {
    List<ParameterInfo> out = new java.util.ArrayList<>();
    for (LayerInfo info : spec.layerInfos()) {
      int n = info.number();
      if (info.layer() instanceof Conv2d c) {
        int area = c.kernelHeight() * c.kernelWidth();
        int channels = info.inputShape().channels();
        out.add(
            new ParameterInfo(
                "layer" + n + ".weight",
                n,
                List.of(c.filters(), channels, c.kernelHeight(), c.kernelWidth()),
                channels * area,
                c.filters() * area,
                false));
        out.add(
            new ParameterInfo(
                "layer" + n + ".bias",
                n,
                List.of(c.filters()),
                channels * area,
                c.filters(),
                true));
      } else if (info.layer() instanceof Dense d) {
        int in = info.inputShape().dim(0);
        out.add(
            new ParameterInfo(
                "layer" + n + ".weight", n, List.of(d.units(), in), in, d.units(), false));
        out.add(
            new ParameterInfo("layer" + n + ".bias", n, List.of(d.units()), in, d.units(), true));
      }
    }
    return List.copyOf(out);
  }
}
