package dev.lenet.api.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * One tensor of a network: a layer's {@link ParameterSpec} with its network-wide name.
 *
 * <p>Names are {@code layer<N>.<name>}, {@code N} the layer's number from 1: {@code layer1.weight},
 * {@code layer1.bias}, {@code layer2.running_mean}. Layouts are the book's (PyTorch's): a {@link
 * Conv2d} weight is {@code (filters, channels, kernelHeight, kernelWidth)}, a {@link Dense} weight
 * {@code (units, inputFeatures)}, vectors are {@code (size)}. Values are stored row-major.
 *
 * @param name e.g. {@code layer1.weight}
 * @param layerNumber the layer, from 1
 * @param spec what the layer declared
 */
public record ParameterInfo(String name, int layerNumber, ParameterSpec spec) {

  /** The network-wide name of the tensor {@code local} of layer {@code layerNumber}. */
  public static String name(int layerNumber, String local) {
    return "layer" + layerNumber + "." + local;
  }

  /** Dimensions, in the book's layout. */
  public List<Integer> shape() {
    return spec.shape();
  }

  /** Number of scalars. */
  public int size() {
    return Math.toIntExact(spec.size());
  }

  /** Whether the optimizer trains it (else it is state, like running statistics). */
  public boolean trainable() {
    return spec.trainable();
  }

  /** Every tensor of {@code spec}, layer by layer, in the order each layer declares them. */
  public static List<ParameterInfo> of(ModelSpec spec) {
    List<ParameterInfo> out = new ArrayList<>();
    for (LayerInfo info : spec.layerInfos()) {
      for (ParameterSpec p : info.layer().parameters(info.inputShape())) {
        out.add(new ParameterInfo(name(info.number(), p.name()), info.number(), p));
      }
    }
    return List.copyOf(out);
  }
}
