package dev.lenet.api.spec;

/** Output-size arithmetic shared by convolution and pooling windows. */
final class Windows {

  private Windows() {}

  /**
   * The number of window positions along one axis: {@code floor((n + 2p - k) / s) + 1}.
   *
   * @throws IllegalArgumentException if the padded input is smaller than the kernel
   */
  static long outputSize(int n, int kernel, int stride, int padding) {
    long padded = n + 2L * padding;
    if (padded < kernel) {
      throw new IllegalArgumentException("smaller than the kernel");
    }
    return (padded - kernel) / stride + 1;
  }

  /** The output (height, width) of a 2-D window over an image input, with a clear message. */
  static Shape imageOutput(
      Shape input,
      int channelsOut,
      int kernelHeight,
      int kernelWidth,
      int strideHeight,
      int strideWidth,
      int paddingHeight,
      int paddingWidth) {
    if (!input.isImage()) {
      throw new IllegalArgumentException(
          "input " + input + " is not an image (channels, height, width)");
    }
    long h = input.height() + 2L * paddingHeight;
    long w = input.width() + 2L * paddingWidth;
    if (h < kernelHeight || w < kernelWidth) {
      String padded =
          paddingHeight == 0 && paddingWidth == 0 ? "" : " (padded to " + h + "x" + w + ")";
      throw new IllegalArgumentException(
          "input "
              + input
              + padded
              + " is smaller than the kernel "
              + kernelHeight
              + "x"
              + kernelWidth);
    }
    long outHeight = outputSize(input.height(), kernelHeight, strideHeight, paddingHeight);
    long outWidth = outputSize(input.width(), kernelWidth, strideWidth, paddingWidth);
    // Checked here as well as in ModelSpec: padding can make a side too large for an int.
    SpecLimits.requireActivations(
        "output",
        channelsOut + "x" + outHeight + "x" + outWidth,
        SpecLimits.product(channelsOut, outHeight, outWidth));
    return Shape.image(channelsOut, (int) outHeight, (int) outWidth);
  }

  static void requirePositive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, found " + value);
    }
  }

  static void requireNonNegative(String what, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, found " + value);
    }
  }
}
