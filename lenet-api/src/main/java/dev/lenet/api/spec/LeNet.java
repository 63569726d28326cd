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

  /**
   * The book's LeNet with batch normalization (chapter "Batch Normalization"): each convolution and
   * hidden dense layer is followed by batch normalization before its sigmoid; the first convolution
   * has no padding. Trained with learning rate 1.0 in the book.
   *
   * <pre>
   * Conv2d(1,6,k5) BatchNorm2d Sigmoid AvgPool(2,2) Conv2d(6,16,k5) BatchNorm2d Sigmoid AvgPool(2,2)
   * Flatten Linear(256,120) BatchNorm1d Sigmoid Linear(120,84) BatchNorm1d Sigmoid Linear(84,10)
   * </pre>
   */
  public static ModelSpec batchNorm() {
    // spotless:off
    return ModelSpec.builder()
        .input(1, 28, 28)
        .conv2d(6, 5).batchNorm().sigmoid()
        .avgPool(2, 2)
        .conv2d(16, 5).batchNorm().sigmoid()
        .avgPool(2, 2)
        .flatten()
        .dense(120).batchNorm().sigmoid()
        .dense(84).batchNorm().sigmoid()
        .dense(10)
        .build();
    // spotless:on
  }

  /**
   * The classic layout as it is trained today: ReLU, 2x2 max pooling, and dropout with rate 0.5
   * after each hidden dense layer. Trained with learning rate 0.1.
   *
   * <pre>
   * Conv2d(1,6,k5,pad2) ReLU MaxPool(2,2) Conv2d(6,16,k5) ReLU MaxPool(2,2)
   * Flatten Linear(400,120) ReLU Dropout(0.5) Linear(120,84) ReLU Dropout(0.5) Linear(84,10)
   * </pre>
   */
  public static ModelSpec modern() {
    // spotless:off
    return ModelSpec.builder()
        .input(1, 28, 28)
        .conv2d(6, 5).padding(2).relu()
        .maxPool(2, 2)
        .conv2d(16, 5).relu()
        .maxPool(2, 2)
        .flatten()
        .dense(120).relu().dropout(0.5)
        .dense(84).relu().dropout(0.5)
        .dense(10)
        .build();
    // spotless:on
  }
}
