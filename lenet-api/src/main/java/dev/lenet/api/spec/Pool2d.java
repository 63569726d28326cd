package dev.lenet.api.spec;

/**
 * A 2-D pooling window without padding, like PyTorch's {@code nn.AvgPool2d} and {@code
 * nn.MaxPool2d} (floor mode).
 *
 * <p>Shape contract: input {@code (C, H, W)}, output {@code (C, H', W')} with {@code H' = floor((H
 * - kernelHeight) / strideHeight) + 1}, likewise for {@code W'}. No parameters.
 */
public sealed interface Pool2d extends Layer permits AvgPool2d, MaxPool2d {

  int kernelHeight();

  int kernelWidth();

  int strideHeight();

  int strideWidth();

  @Override
  default Shape outputShape(Shape input) {
    int channels = input.isImage() ? input.channels() : 0;
    return Windows.imageOutput(
        input, channels, kernelHeight(), kernelWidth(), strideHeight(), strideWidth(), 0, 0);
  }

  @Override
  default String describe() {
    String s = bookName() + " " + Conv2d.pair(kernelHeight(), kernelWidth());
    if (strideHeight() != kernelHeight() || strideWidth() != kernelWidth()) {
      s += " stride " + Conv2d.pair(strideHeight(), strideWidth());
    }
    return s;
  }

  /** Validation shared by the pooling records. */
  static void validate(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth) {
    Windows.requirePositive("kernel height", kernelHeight);
    Windows.requirePositive("kernel width", kernelWidth);
    Windows.requirePositive("stride height", strideHeight);
    Windows.requirePositive("stride width", strideWidth);
  }
}
