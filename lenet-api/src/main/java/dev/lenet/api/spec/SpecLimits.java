package dev.lenet.api.spec;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;

/**
 * The size checks of shape inference ({@link ModelSpec#MAX_ACTIVATIONS}, {@link
 * ModelSpec#MAX_LAYER_PARAMETERS}), counted exactly (in {@link BigInteger}) so that no product of
 * {@code int} dimensions overflows or rounds before it is compared, and messages print the exact
 * count.
 */
final class SpecLimits {

  private SpecLimits() {}

  /** The exact product of {@code dims}. */
  static BigInteger count(List<Integer> dims) {
    BigInteger n = BigInteger.ONE;
    for (int d : dims) {
      n = n.multiply(BigInteger.valueOf(d));
    }
    return n;
  }

  /** The exact product of {@code factors}. */
  static BigInteger product(long... factors) {
    BigInteger n = BigInteger.ONE;
    for (long f : factors) {
      n = n.multiply(BigInteger.valueOf(f));
    }
    return n;
  }

  /**
   * @throws IllegalArgumentException if {@code values}, the values of one example of {@code shape},
   *     pass {@link ModelSpec#MAX_ACTIVATIONS}
   */
  static void requireActivations(String what, String shape, BigInteger values) {
    if (values.compareTo(BigInteger.valueOf(ModelSpec.MAX_ACTIVATIONS)) > 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%s %s has %,d values per example, more than the limit of %,d",
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
    BigInteger total = BigInteger.ZERO;
    for (ParameterSpec p : tensors) {
      total = total.add(count(p.shape()));
    }
    if (total.compareTo(BigInteger.valueOf(ModelSpec.MAX_LAYER_PARAMETERS)) > 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "%,d parameters, more than the limit of %,d per layer",
              total,
              ModelSpec.MAX_LAYER_PARAMETERS));
    }
  }
}
