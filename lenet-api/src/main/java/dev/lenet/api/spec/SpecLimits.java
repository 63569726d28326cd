package dev.lenet.api.spec;

import java.util.List;
import java.util.Locale;

/**
 * The size checks of shape inference ({@link ModelSpec#MAX_ACTIVATIONS}, {@link
 * ModelSpec#MAX_LAYER_PARAMETERS}), counted in {@code double} so that no product of {@code int}
 * dimensions can overflow before it is compared.
 */
final class SpecLimits {

  private SpecLimits() {}

  /** The product of {@code dims}, exact below 2^53 and never overflowing. */
  static double count(List<Integer> dims) {
    double n = 1;
    for (int d : dims) {
      n *= d;
    }
    return n;
  }

  /**
   * @throws IllegalArgumentException if {@code values}, the values of one example of {@code shape},
   *     pass {@link ModelSpec#MAX_ACTIVATIONS}
   */
  static void requireActivations(String what, String shape, double values) {
    if (values > ModelSpec.MAX_ACTIVATIONS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s %s has %,.0f values per example, more than the limit of %,d",
              what,
              shape,
              values,
              ModelSpec.MAX_ACTIVATIONS));
    }
  }

  /**
   * @throws IllegalArgumentException if the tensors together hold more than {@link
   *     ModelSpec#MAX_LAYER_PARAMETERS} scalars
   */
  static void requireParameters(List<ParameterSpec> tensors) {
    double total = 0;
    for (ParameterSpec p : tensors) {
      total += count(p.shape());
    }
    if (total > ModelSpec.MAX_LAYER_PARAMETERS) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%,.0f parameters, more than the limit of %,d per layer",
              total,
              ModelSpec.MAX_LAYER_PARAMETERS));
    }
  }
}
