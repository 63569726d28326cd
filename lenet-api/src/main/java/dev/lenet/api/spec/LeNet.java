package dev.lenet.api.spec;

/** Ready-made specs of the LeNet family. */
public final class LeNet {

  private LeNet() {}

  /**
   * The book's LeNet-5 (Dive into Deep Learning, chapter "LeNet"): sigmoid activations and average
   * pooling on 1x28x28 inputs, 10 classes, 61,706 parameters.
   *
   * <pre>
   * Conv2d(1,6,k5,pad2) Sigmoid AvgPool(2,2) Conv2d(6,16,k5) Sigmoid AvgPool(2,2)
   * Flatten Linear(400,120) Sigmoid Linear(120,84) Sigmoid Linear(84,10)
   * </pre>
   */
  public static ModelSpec classic() {
    // spotless:off
    return ModelSpec.builder()
        .input(1, 28, 28)
        .conv2d(6, 5).padding(2).sigmoid()
        .avgPool(2, 2)
        .conv2d(16, 5).sigmoid()
        .avgPool(2, 2)
        .flatten()
        .dense(120).sigmoid()
        .dense(84).sigmoid()
        .dense(10)
        .build();
    // spotless:on
  }
}
