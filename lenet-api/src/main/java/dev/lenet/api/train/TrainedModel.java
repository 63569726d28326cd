package dev.lenet.api.train;

import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A trained network, owned by a backend. It holds native resources: close it when done. Its methods
 * are safe to call from several threads at once; {@link #close()} must not race them.
 */
public interface TrainedModel extends AutoCloseable {

  /** The network's spec. */
  ModelSpec spec();

  /** The class names, in label order. */
  List<String> classNames();

  /**
   * The data set it was trained on: the known set (if the files were recognised as one) and the
   * checksums of its files. Empty for models saved by lenet 0.1.0 and for models trained on data
   * built in memory.
   */
  Optional<DataIdentity> trainedOn();

  /** Metrics of each epoch trained, in order (empty for a loaded model that kept none). */
  List<EpochMetrics> history();

  /** The device the model runs on. */
  Device device();

  /**
   * Class probabilities for a batch of images.
   *
   * @param images {@code count * C * H * W} pixel values in the spec's {@code (C, H, W)} layout,
   *     scaled to [0, 1] as the training data was ({@code dev.lenet.api.data.Pixels.toUnit} for
   *     0-255 values; {@code dev.lenet.api.image.ImageReader} reads image files so)
   * @param count how many images {@code images} holds
   * @return one prediction per image
   * @throws IllegalArgumentException if {@code images} does not hold {@code count} images
   */
  List<Prediction> predict(float[] images, int count);

  /** Class probabilities for one image of {@code C * H * W} pixels in [0, 1]. */
  default Prediction predict(float[] image) {
    return predict(image, 1).get(0);
  }

  /**
   * Accuracy, confusion matrix and per-class precision, recall and F1 on a labelled set.
   *
   * @throws IllegalArgumentException naming both if {@code data}'s image shape or number of classes
   *     differs from the model's
   */
  Evaluation evaluate(ImageDataset data);

  /** Writes the model to {@code dir} so that it can be loaded again or served. */
  void save(Path dir) throws IOException;

  /** Releases the native resources. The model cannot be used afterwards. */
  @Override
  void close();
}
