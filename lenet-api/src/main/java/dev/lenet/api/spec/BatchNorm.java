package dev.lenet.api.spec;

import java.util.List;
import java.util.Locale;

/**
 * Batch normalization, PyTorch's {@code nn.BatchNorm2d} on an image (per channel) and {@code
 * nn.BatchNorm1d} on a vector (per feature), as in the book's chapter "Batch Normalization".
 *
 * <p>In training each channel (or feature) is normalized with the mean and the biased variance of
 * the whole mini-batch (over examples, and over height and width for images), then scaled and
 * shifted: {@code y = weight * (x - mean) / sqrt(var + epsilon) + bias}; the running estimates move
 * by {@code running = (1 - momentum) * running + momentum * batch}, using the unbiased variance. In
 * inference the running estimates take the batch's place.
 *
 * <p>Shape contract: output shape equals input shape, {@code (C, H, W)} or {@code (F)}. Tensors:
 * trainable {@code weight} (ones) and {@code bias} (zeros), state {@code running_mean} (zeros) and
 * {@code running_var} (ones), each with one value per channel or feature.
 *
 * @param momentum weight of the newest batch in the running estimates, in (0, 1]
 * @param epsilon added to the variance, > 0
 */
public record BatchNorm(double momentum, double epsilon) implements Layer {

  /** PyTorch's default momentum. */
  public static final double DEFAULT_MOMENTUM = 0.1;

  /** PyTorch's default epsilon. */
  public static final double DEFAULT_EPSILON = 1e-5;

  public BatchNorm {
    if (!(momentum > 0 && momentum <= 1)) {
      throw new IllegalArgumentException("momentum must be in (0, 1], found " + momentum);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be finite and > 0, found " + epsilon);
    }
  }

  /** Batch normalization with PyTorch's defaults (momentum 0.1, epsilon 1e-5). */
  public static BatchNorm of() {
    return new BatchNorm(DEFAULT_MOMENTUM, DEFAULT_EPSILON);
  }

  /** The channels of an image, or the features of a vector: one statistic each. */
  public static int features(Shape input) {
    return input.isImage() ? input.channels() : input.dim(0);
  }

  @Override
  public Shape outputShape(Shape input) {
    if (!input.isImage() && !input.isVector()) {
      throw new IllegalArgumentException(
          "input " + input + " is neither an image (C, H, W) nor a vector of features");
    }
    return input;
  }

  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int n = features(input);
    return List.of(
        ParameterSpec.trainable("weight", n, ParameterSpec.Init.ONES),
        ParameterSpec.trainable("bias", n, ParameterSpec.Init.ZEROS),
        ParameterSpec.state("running_mean", n, ParameterSpec.Init.ZEROS),
        ParameterSpec.state("running_var", n, ParameterSpec.Init.ONES));
  }

  @Override
  public String describe() {
    if (momentum == DEFAULT_MOMENTUM && epsilon == DEFAULT_EPSILON) {
      return "BatchNorm";
    }
    return String.format(Locale.ROOT, "BatchNorm momentum %s eps %s", momentum, epsilon);
  }

  @Override
  public String bookName() {
    return "BatchNorm";
  }

  @Override
  public String bookName(Shape input) {
    return input.isImage() ? "BatchNorm2d" : "BatchNorm1d";
  }
}
