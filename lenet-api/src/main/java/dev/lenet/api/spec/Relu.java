package dev.lenet.api.spec;

/** Applies the rectifier max(0, x) to every element. */
public record Relu() implements Activation {

  @Override
  public String bookName() {
    return "ReLU";
  }
}
