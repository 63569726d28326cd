package dev.lenet.api.spec;

import java.util.List;

/**
 * A 2-D convolution with a bias per filter, like PyTorch's {@code nn.Conv2d}.
 *
 * <p>Shape contract: input {@code (C, H, W)}, output {@code (filters, H', W')} with {@code H' =
 * floor((H + 2 * paddingHeight - kernelHeight) / strideHeight) + 1}, likewise for {@code W'}.
 * Padding is zero padding on both sides. Parameters: {@code filters * (C * kernelHeight *
 * kernelWidth + 1)}.
 *
 * @param filters output channels, > 0
 * @param kernelHeight kernel rows, > 0
 * @param kernelWidth kernel columns, > 0
 * @param strideHeight vertical step, > 0
 * @param strideWidth horizontal step, > 0
 * @param paddingHeight zero rows added above and below, >= 0
 * @param paddingWidth zero columns added left and right, >= 0
 */
public record Conv2d(
    int filters,
    int kernelHeight,
    int kernelWidth,
    int strideHeight,
    int strideWidth,
    int paddingHeight,
    int paddingWidth)
    implements Layer {

  /** Stride when none is given. */
  public static final int DEFAULT_STRIDE = 1;

  /** Padding when none is given. */
  public static final int DEFAULT_PADDING = 0;

  public Conv2d {
    Windows.requirePositive("filters", filters);
    Windows.requirePositive("kernel height", kernelHeight);
    Windows.requirePositive("kernel width", kernelWidth);
    Windows.requirePositive("stride height", strideHeight);
    Windows.requirePositive("stride width", strideWidth);
    Windows.requireNonNegative("padding height", paddingHeight);
    Windows.requireNonNegative("padding width", paddingWidth);
  }

  /** A square-kernel convolution with stride 1 and no padding. */
  public static Conv2d of(int filters, int kernel) {
    return new Conv2d(
        filters, kernel, kernel, DEFAULT_STRIDE, DEFAULT_STRIDE, DEFAULT_PADDING, DEFAULT_PADDING);
  }

  /** This convolution with the same zero padding on every side. */
  public Conv2d withPadding(int padding) {
    return new Conv2d(
        filters, kernelHeight, kernelWidth, strideHeight, strideWidth, padding, padding);
  }

  /** This convolution with the same stride along both axes. */
  public Conv2d withStride(int stride) {
    return new Conv2d(
        filters, kernelHeight, kernelWidth, stride, stride, paddingHeight, paddingWidth);
  }

  @Override
  public Shape outputShape(Shape input) {
    return Windows.imageOutput(
        input,
        filters,
        kernelHeight,
        kernelWidth,
        strideHeight,
        strideWidth,
        paddingHeight,
        paddingWidth);
  }

  /**
   * {@code weight} {@code (filters, C, kernelHeight, kernelWidth)} and {@code bias} {@code
   * (filters)}: {@code filters * (C * kernelHeight * kernelWidth + 1)} scalars.
   */
  @Override
  public List<ParameterSpec> parameters(Shape input) {
    int area = kernelHeight * kernelWidth;
    int fanIn = input.channels() * area;
    return List.of(
        ParameterSpec.weight(
            List.of(filters, input.channels(), kernelHeight, kernelWidth), fanIn, filters * area),
        ParameterSpec.bias(filters, fanIn));
  }

  @Override
  public String describe() {
    StringBuilder s = new StringBuilder("Conv2d ").append(filters).append('x');
    s.append(kernelHeight).append('x').append(kernelWidth);
    if (strideHeight != 1 || strideWidth != 1) {
      s.append(" stride ").append(pair(strideHeight, strideWidth));
    }
    if (paddingHeight != 0 || paddingWidth != 0) {
      s.append(" pad ").append(pair(paddingHeight, paddingWidth));
    }
    return s.toString();
  }

  @Override
  public String bookName() {
    return "Conv2d";
  }

  static String pair(int a, int b) {
    return a == b ? String.valueOf(a) : a + "x" + b;
  }
}
