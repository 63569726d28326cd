package dev.lenet.api.spec;

/** An element-wise activation: output shape equals input shape, no parameters. */
public sealed interface Activation extends Layer permits Sigmoid, Relu, Tanh {

  @Override
  default Shape outputShape(Shape input) {
    return input;
  }

  @Override
  default String describe() {
    return bookName();
  }
}
