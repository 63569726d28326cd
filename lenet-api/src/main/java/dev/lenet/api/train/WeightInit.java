package dev.lenet.api.train;

/**
 * How convolution and dense weights start. Biases always start as PyTorch's layers start them:
 * uniform in {@code +-1/sqrt(fan_in)} (zero under {@link #ZEROS}).
 */
public enum WeightInit {
  /**
   * Glorot/Xavier uniform: {@code U(-a, a)}, {@code a = sqrt(6 / (fan_in + fan_out))}; the book.
   */
  XAVIER_UNIFORM,
  /** He/Kaiming normal: {@code N(0, 2 / fan_in)}, for ReLU networks. */
  HE_NORMAL,
  /** All zeros: only useful for tests, a network starting here cannot break symmetry. */
  ZEROS
}
