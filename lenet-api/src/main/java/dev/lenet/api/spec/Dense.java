package dev.lenet.api.spec;

import java.util.List;

/**
 * A fully connected layer {@code y = x W + b}, PyTorch's {@code nn.Linear}.
 *
 * <p>Shape contract: input {@code (features)}, output {@code (units)}; an image input must be
 * flattened first. Parameters: {@code units * (features + 1)}.
 *
 * @param units output features, > 0
 */
public record Dense(int units) implements Layer {

  public Dense {
    Windows.requirePositive("units", units);
  }

  @Override
  public Shape outputShape(Shape input) {
    if (!input.isVector()) {
      throw new IllegalArgumentException(
          "input " + input + " is not a vector; add flatten() before dense()");
    }
    return Shape.vector(units);
  }

  /** {@code weight} {@code (units, features)} and {@code bias} {@code (units)}. */
  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int features = input.dim(0);
    return List.of(
        ParameterSpec.weight(List.of(units, features), features, units),
        ParameterSpec.bias(units, features));
  }

  @Override
  public String describe() {
    return "Dense " + units;
  }

  @Override
  public String bookName() {
    return "Linear";
  }
}
