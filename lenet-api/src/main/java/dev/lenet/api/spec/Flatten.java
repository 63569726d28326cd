package dev.lenet.api.spec;

/**
 * Flattens an example to a vector, like PyTorch's {@code nn.Flatten}: input {@code (C, H, W)},
 * output {@code (C * H * W)} in channel-major order (the book's order). No parameters.
 */
public record Flatten() implements Layer {

  @Override
  public Shape outputShape(Shape input) {
    long size = input.size();
    if (size > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("input " + input + " has too many elements to flatten");
    }
    return Shape.vector((int) size);
  }

  @Override
  public String describe() {
    return "Flatten";
  }

  @Override
  public String bookName() {
    return "Flatten";
  }
}
