package dev.lenet.api.spec;

import java.util.List;

/**
 * One tensor a layer holds, as the layer declares it: its name within the layer, its shape in the
 * book's (PyTorch) layout, how it starts, and whether training changes it by gradient.
 *
 * <p>Trainable tensors are the layer's parameters (PyTorch's {@code parameters()}); the others are
 * state the layer updates itself, such as batch normalization's running statistics (PyTorch's
 * buffers). Both are saved with the model and in checkpoints. The network-wide name, {@code
 * layer<N>.<name>}, is made in one place: {@link ParameterInfo#name(int, String)}.
 *
 * @param name the name within the layer, e.g. {@code weight}, {@code running_mean}
 * @param shape dimensions, row-major
 * @param init how the tensor starts
 * @param fanIn inputs feeding each output (for {@link Init#WEIGHT} and {@link Init#BIAS})
 * @param fanOut outputs each input feeds (for {@link Init#WEIGHT})
 * @param trainable whether the optimizer updates it from its gradient
 */
public record ParameterSpec(
    String name, List<Integer> shape, Init init, int fanIn, int fanOut, boolean trainable) {

  /** How a tensor starts. */
  public enum Init {
    /** The training config's weight initialization (Xavier, He, zeros), from the fans. */
    WEIGHT,
    /** PyTorch's default bias: uniform in {@code +-1/sqrt(fanIn)} (zeros under zero init). */
    BIAS,
    /** All zeros. */
    ZEROS,
    /** All ones. */
    ONES
  }

  public ParameterSpec {
    if (name == null || !name.matches("[a-z][a-z_]*")) {
      throw new IllegalArgumentException(
          "a parameter name is lower case letters and underscores, found " + name);
    }
    shape = List.copyOf(shape);
    for (int d : shape) {
      Windows.requirePositive("parameter " + name + " dimension", d);
    }
  }

  /** A trainable weight started by the config's initialization. */
  public static ParameterSpec weight(List<Integer> shape, int fanIn, int fanOut) {
    return new ParameterSpec("weight", shape, Init.WEIGHT, fanIn, fanOut, true);
  }

  /** A trainable bias of {@code size} values started as PyTorch starts biases. */
  public static ParameterSpec bias(int size, int fanIn) {
    return new ParameterSpec("bias", List.of(size), Init.BIAS, fanIn, size, true);
  }

  /** A trainable vector started at {@code init} (ones or zeros). */
  public static ParameterSpec trainable(String name, int size, Init init) {
    return new ParameterSpec(name, List.of(size), init, 0, 0, true);
  }

  /** A vector of state that training updates without a gradient, started at {@code init}. */
  public static ParameterSpec state(String name, int size, Init init) {
    return new ParameterSpec(name, List.of(size), init, 0, 0, false);
  }

  /** Number of scalars. */
  public long size() {
    long n = 1;
    for (int d : shape) {
      n *= d;
    }
    return n;
  }
}
