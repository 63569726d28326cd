package dev.lenet.api.spec;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One layer of a sequential network: a pure description, no weights and no backend objects.
 *
 * <p>Each layer maps an input {@link Shape} to an output shape; {@link #outputShape(Shape)} is the
 * shape contract and throws {@link IllegalArgumentException} (saying what is wrong with the input)
 * when the layer cannot accept it. {@link ModelSpec} prefixes that message with the layer's index
 * and description.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
  @JsonSubTypes.Type(value = Conv2d.class, name = "conv2d"),
  @JsonSubTypes.Type(value = AvgPool2d.class, name = "avgPool2d"),
  @JsonSubTypes.Type(value = MaxPool2d.class, name = "maxPool2d"),
  @JsonSubTypes.Type(value = Sigmoid.class, name = "sigmoid"),
  @JsonSubTypes.Type(value = Relu.class, name = "relu"),
  @JsonSubTypes.Type(value = Tanh.class, name = "tanh"),
  @JsonSubTypes.Type(value = Flatten.class, name = "flatten"),
  @JsonSubTypes.Type(value = Dense.class, name = "dense")
})
public sealed interface Layer permits Conv2d, Pool2d, Activation, Flatten, Dense {

  /**
   * The shape this layer produces for one example of shape {@code input}.
   *
   * @throws IllegalArgumentException if the layer cannot take that input; the message names the
   *     input shape and the reason
   */
  Shape outputShape(Shape input);

  /** Trainable scalars (weights and biases) this layer holds for the given input shape. */
  default long parameterCount(Shape input) {
    return 0;
  }

  /** Short human description used in summaries and error messages, e.g. {@code Conv2d 16x5x5}. */
  String describe();

  /** The PyTorch class the book uses for this layer, e.g. {@code Linear} for {@link Dense}. */
  String bookName();
}
