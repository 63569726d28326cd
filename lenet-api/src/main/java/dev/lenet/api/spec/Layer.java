package dev.lenet.api.spec;

import java.util.List;

/**
 * One layer of a sequential network: a pure description, no weights and no backend objects.
 *
 * <p>Each layer maps an input {@link Shape} to an output shape; {@link #outputShape(Shape)} is the
 * shape contract and throws {@link IllegalArgumentException} (saying what is wrong with the input)
 * when the layer cannot accept it. {@link ModelSpec} prefixes that message with the layer's index
 * and description. A layer with weights or state declares them in {@link #parameters(Shape)}.
 *
 * <p>Adding a layer kind: a record implementing this interface, its name in the {@code permits}
 * list below, a builder method in {@link ModelSpecBuilder}, and a class for it in each backend. The
 * JSON type name is the record's simple name with a lower-case first letter ({@code conv2d}, {@code
 * batchNorm}).
 */
public sealed interface Layer
    permits Conv2d, Pool2d, Activation, Flatten, Dense, BatchNorm, Dropout {

  /**
   * The shape this layer produces for one example of shape {@code input}.
   *
   * @throws IllegalArgumentException if the layer cannot take that input; the message names the
   *     input shape and the reason
   */
  Shape outputShape(Shape input);

  /**
   * The tensors this layer holds for the given (valid) input shape, trainable ones and state, in
   * the order they are saved. None by default.
   */
  default List<ParameterSpec> parameters(Shape input) {
    return List.of();
  }

  /** Trainable scalars this layer holds for the given input shape. */
  default long parameterCount(Shape input) {
    return parameters(input).stream()
        .filter(ParameterSpec::trainable)
        .mapToLong(ParameterSpec::size)
        .sum();
  }

  /** Short human description used in summaries and error messages, e.g. {@code Conv2d 16x5x5}. */
  String describe();

  /** The PyTorch class the book uses for this layer, e.g. {@code Linear} for {@link Dense}. */
  String bookName();

  /**
   * The PyTorch class for this layer on {@code input}, where that depends on the input ({@code
   * BatchNorm2d} or {@code BatchNorm1d}).
   */
  default String bookName(Shape input) {
    return bookName();
  }
}
