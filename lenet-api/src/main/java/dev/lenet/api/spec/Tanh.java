package dev.lenet.api.spec;

/** Applies the hyperbolic tangent to every element. */
public record Tanh() implements Activation {

  @Override
  public String bookName() {
    return "Tanh";
  }
}
