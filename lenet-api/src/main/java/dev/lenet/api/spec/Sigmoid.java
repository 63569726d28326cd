package dev.lenet.api.spec;

/** Applies the logistic function 1 / (1 + exp(-x)) to every element. */
public record Sigmoid() implements Activation {

  @Override
  public String bookName() {
    return "Sigmoid";
  }
}
