package dev.lenet.spark;

import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link TfModel#predict} gives for rows classified in the batches the transformer forms: per
 * partition, {@code batchSize} rows at a time, the bad rows left out of the call. TensorFlow's
 * kernels round differently for different batch sizes, so identical floats need identical batches.
 */
final class SparkBatches {

  private SparkBatches() {}

  /**
   * @param inputs each row's model input in the order Spark returned the rows, null for a bad row
   * @param partitions each row's partition
   * @return each row's prediction, null for a bad row
   */
  static List<Prediction> predict(
      TfModel model, List<float[]> inputs, List<Integer> partitions, int batchSize) {
    int size = (int) model.spec().input().size();
    List<Prediction> out = new ArrayList<>(inputs.size());
    int start = 0;
    while (start < inputs.size()) {
      int end = start;
      while (end < inputs.size()
          && end - start < batchSize
          && partitions.get(end).equals(partitions.get(start))) {
        end++;
      }
      float[] batch = new float[(end - start) * size];
      int good = 0;
      for (int i = start; i < end; i++) {
        if (inputs.get(i) != null) {
          System.arraycopy(inputs.get(i), 0, batch, good++ * size, size);
        }
      }
      List<Prediction> predicted =
          good == 0 ? List.of() : model.predict(Arrays.copyOf(batch, good * size), good);
      int next = 0;
      for (int i = start; i < end; i++) {
        out.add(inputs.get(i) == null ? null : predicted.get(next++));
      }
      start = end;
    }
    return out;
  }
}
