package dev.lenet.api.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds a {@link ModelSpec} in reading order, like the book's {@code nn.Sequential}:
 *
 * <pre>{@code
 * ModelSpec lenet = ModelSpec.builder()
 *     .input(1, 28, 28)
 *     .conv2d(6, 5).padding(2).sigmoid()
 *     .avgPool(2, 2)
 *     ...
 *     .dense(10)
 *     .build();
 * }</pre>
 *
 * <p>{@link #padding} and {@link #stride} modify the layer just added. Every value is checked at
 * {@link #build()}, whose {@link IllegalArgumentException} names the layer's number (from 1), the
 * layer and what was wrong. A builder is not thread-safe; the spec it builds is immutable.
 */
public final class ModelSpecBuilder {

  private int[] input;
  private final List<Draft> drafts = new ArrayList<>();

  ModelSpecBuilder() {}

  /** The shape of one input example: {@code (channels, height, width)}. */
  public ModelSpecBuilder input(int channels, int height, int width) {
    this.input = new int[] {channels, height, width};
    return this;
  }

  /** A square-kernel convolution, stride 1, no padding; see {@link Conv2d}. */
  public ModelSpecBuilder conv2d(int filters, int kernel) {
    return conv2d(filters, kernel, kernel);
  }

  /** A convolution with a {@code kernelHeight x kernelWidth} kernel; see {@link Conv2d}. */
  public ModelSpecBuilder conv2d(int filters, int kernelHeight, int kernelWidth) {
    drafts.add(new ConvDraft(filters, kernelHeight, kernelWidth));
    return this;
  }

  /** Zero padding on every side of the convolution just added. */
  public ModelSpecBuilder padding(int padding) {
    return padding(padding, padding);
  }

  /** Zero padding (rows above and below, columns left and right) of the convolution just added. */
  public ModelSpecBuilder padding(int paddingHeight, int paddingWidth) {
    if (!(last() instanceof ConvDraft conv)) {
      throw new IllegalStateException(
          "padding() applies to the layer just added, which must be conv2d(); it is "
              + describeLast());
    }
    conv.paddingHeight = paddingHeight;
    conv.paddingWidth = paddingWidth;
    return this;
  }

  /** The stride, along both axes, of the convolution or pooling layer just added. */
  public ModelSpecBuilder stride(int stride) {
    if (last() instanceof ConvDraft conv) {
      conv.strideHeight = stride;
      conv.strideWidth = stride;
    } else if (last() instanceof PoolDraft pool) {
      pool.stride = stride;
    } else {
      throw new IllegalStateException(
          "stride() applies to the layer just added, which must be conv2d() or a pooling layer; it"
              + " is "
              + describeLast());
    }
    return this;
  }

  /** Average pooling over {@code kernel x kernel} windows moved by {@code stride}. */
  public ModelSpecBuilder avgPool(int kernel, int stride) {
    drafts.add(new PoolDraft(true, kernel, stride));
    return this;
  }

  /** Maximum pooling over {@code kernel x kernel} windows moved by {@code stride}. */
  public ModelSpecBuilder maxPool(int kernel, int stride) {
    drafts.add(new PoolDraft(false, kernel, stride));
    return this;
  }

  /** The logistic sigmoid, as in the book's LeNet. */
  public ModelSpecBuilder sigmoid() {
    return add(new Sigmoid());
  }

  /** The rectifier {@code max(0, x)}. */
  public ModelSpecBuilder relu() {
    return add(new Relu());
  }

  /** The hyperbolic tangent. */
  public ModelSpecBuilder tanh() {
    return add(new Tanh());
  }

  /** Flattens {@code (C, H, W)} to {@code (C * H * W)}. */
  public ModelSpecBuilder flatten() {
    return add(new Flatten());
  }

  /** A fully connected layer with {@code units} outputs (the book's {@code nn.Linear}). */
  public ModelSpecBuilder dense(int units) {
    drafts.add(new Deferred("Dense " + units, () -> new Dense(units)));
    return this;
  }

  /**
   * Batch normalization of the layer just added's output, per channel of an image or per feature of
   * a vector, with PyTorch's momentum 0.1 and epsilon 1e-5; see {@link BatchNorm}.
   */
  public ModelSpecBuilder batchNorm() {
    return add(BatchNorm.of());
  }

  /**
   * Dropout with probability {@code rate} in training, the identity in inference; see {@link
   * Dropout}.
   */
  public ModelSpecBuilder dropout(double rate) {
    drafts.add(new Deferred("Dropout " + rate, () -> new Dropout(rate)));
    return this;
  }

  /** Any layer record, for layers built elsewhere. */
  public ModelSpecBuilder add(Layer layer) {
    drafts.add(new Deferred(layer.describe(), () -> layer));
    return this;
  }

  /**
   * Checks every layer, infers every shape and returns the immutable spec.
   *
   * @throws IllegalArgumentException naming the layer number, the layer and the incoming shape
   */
  public ModelSpec build() {
    if (input == null) {
      throw new IllegalArgumentException("no input shape: call input(channels, height, width)");
    }
    Shape shape;
    try {
      shape = Shape.of(input);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("input: " + e.getMessage(), e);
    }
    List<Layer> layers = new ArrayList<>(drafts.size());
    for (int i = 0; i < drafts.size(); i++) {
      Draft draft = drafts.get(i);
      try {
        layers.add(draft.toLayer());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "layer " + (i + 1) + " (" + draft.describe() + "): " + e.getMessage(), e);
      }
    }
    return new ModelSpec(shape, layers);
  }

  private Draft last() {
    return drafts.isEmpty() ? null : drafts.get(drafts.size() - 1);
  }

  private String describeLast() {
    Draft last = last();
    return last == null ? "nothing (no layer yet)" : last.describe();
  }

  /** A layer whose values are checked only at build(), so the error can carry its number. */
  private interface Draft {
    Layer toLayer();

    String describe();
  }

  private record Deferred(String describe, Supplier<Layer> make) implements Draft {
    @Override
    public Layer toLayer() {
      return make.get();
    }
  }

  private static final class ConvDraft implements Draft {
    final int filters;
    final int kernelHeight;
    final int kernelWidth;
    int strideHeight = Conv2d.DEFAULT_STRIDE;
    int strideWidth = Conv2d.DEFAULT_STRIDE;
    int paddingHeight = Conv2d.DEFAULT_PADDING;
    int paddingWidth = Conv2d.DEFAULT_PADDING;

    ConvDraft(int filters, int kernelHeight, int kernelWidth) {
      this.filters = filters;
      this.kernelHeight = kernelHeight;
      this.kernelWidth = kernelWidth;
    }

    @Override
    public Layer toLayer() {
      return new Conv2d(
          filters,
          kernelHeight,
          kernelWidth,
          strideHeight,
          strideWidth,
          paddingHeight,
          paddingWidth);
    }

    @Override
    public String describe() {
      return "Conv2d " + filters + "x" + kernelHeight + "x" + kernelWidth;
    }
  }

  private static final class PoolDraft implements Draft {
    final boolean average;
    final int kernel;
    int stride;

    PoolDraft(boolean average, int kernel, int stride) {
      this.average = average;
      this.kernel = kernel;
      this.stride = stride;
    }

    @Override
    public Layer toLayer() {
      return average ? AvgPool2d.of(kernel, stride) : MaxPool2d.of(kernel, stride);
    }

    @Override
    public String describe() {
      return (average ? "AvgPool2d " : "MaxPool2d ") + kernel + " stride " + stride;
    }
  }
}
