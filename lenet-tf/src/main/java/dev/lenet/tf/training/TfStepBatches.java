package dev.lenet.tf.training;

import dev.lenet.api.data.ImageDataset;

/**
 * The batches of one session call: {@code steps} steps, step {@code j} on the examples {@code
 * order[from + j * count, from + (j + 1) * count)} of {@code data}. It holds the caller's {@code
 * order} (an epoch's, read during the call), not a copy.
 */
public final class TfStepBatches {
  private final ImageDataset data;
  private final int[] order;
  private final int from;
  private final int count;
  private final int steps;
  private final long firstStep;

  /**
   * @param steps from 1 to the graph's {@link TfTrainingGraph#stepsPerCall()}
   * @param firstStep the first step's number in the run, from 0 (the others follow it), which keys
   *     random draws (dropout)
   * @throws IllegalArgumentException if the call's examples reach past {@code order}
   */
  public TfStepBatches(
      ImageDataset data, int[] order, int from, int count, int steps, long firstStep) {
    if (from < 0 || count < 1 || steps < 1 || from + (long) count * steps > order.length) {
      throw new IllegalArgumentException(
          steps + " steps of " + count + " from " + from + " reach past " + order.length);
    }
    this.data = data;
    this.order = order;
    this.from = from;
    this.count = count;
    this.steps = steps;
    this.firstStep = firstStep;
  }

  ImageDataset data() {
    return data;
  }

  int example(int i) {
    return order[from + i];
  }

  int from() {
    return from;
  }

  int count() {
    return count;
  }

  int steps() {
    return steps;
  }

  long firstStep() {
    return firstStep;
  }

  int[] order() {
    return order;
  }
}
