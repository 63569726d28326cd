package dev.lenet.api.spec;

/**
 * Average pooling over 2-D windows; see {@link Pool2d} for the shape contract.
 *
 * @param kernelHeight window rows, > 0
 * @param kernelWidth window columns, > 0
 * @param strideHeight vertical step, > 0
 * @param strideWidth horizontal step, > 0
 */
public record AvgPool2d(int kernelHeight, int kernelWidth, int strideHeight, int strideWidth)
    implements Pool2d {

  public AvgPool2d {
    Pool2d.validate(kernelHeight, kernelWidth, strideHeight, strideWidth);
  }

  /** A square window of side {@code kernel} moved by {@code stride} along both axes. */
  public static AvgPool2d of(int kernel, int stride) {
    return new AvgPool2d(kernel, kernel, stride, stride);
  }

  @Override
  public String bookName() {
    return "AvgPool2d";
  }
}
