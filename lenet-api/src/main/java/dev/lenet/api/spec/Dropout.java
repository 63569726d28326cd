package dev.lenet.api.spec;

/**
 * Dropout, PyTorch's {@code nn.Dropout}: in training each element is zeroed with probability {@code
 * rate} and the survivors are scaled by {@code 1 / (1 - rate)} (inverted dropout), so inference is
 * the identity. Backends draw the masks from a stateless generator keyed on the training seed, the
 * step and the layer, so that seeded runs repeat.
 *
 * <p>Shape contract: output shape equals input shape. No parameters.
 *
 * @param rate the probability of zeroing an element, in [0, 1)
 */
public record Dropout(double rate) implements Layer {

  public Dropout {
    if (!(rate >= 0 && rate < 1)) {
      throw new IllegalArgumentException("dropout rate must be in [0, 1), found " + rate);
    }
  }

  @Override
  public Shape outputShape(Shape input) {
    return input;
  }

  @Override
  public String describe() {
    return "Dropout " + rate;
  }

  @Override
  public String bookName() {
    return "Dropout";
  }
}
