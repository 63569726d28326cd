package dev.lenet.api.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Mini-batches over an {@link ImageDataset} like the book's {@code DataLoader}: a fixed batch size,
 * the last partial batch kept, and for training a fresh shuffle every epoch drawn from a seed (the
 * same seed and epoch always give the same order).
 */
public final class Batches {

  /** The book's batch size. */
  public static final int DEFAULT_BATCH_SIZE = 256;

  private final ImageDataset data;
  private final int batchSize;

  Batches(ImageDataset data, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, found " + batchSize);
    }
    this.data = data;
    this.batchSize = batchSize;
  }

  /** Batches per pass over the data, counting the last partial one. */
  public int count() {
    return (data.size() + batchSize - 1) / batchSize;
  }

  /** The batch size. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * The order in which epoch {@code epoch} (from 1) visits the examples: a permutation of {@code
   * [0, size)} that depends only on the seed and the epoch.
   */
  public int[] shuffledOrder(long seed, int epoch) {
    int n = data.size();
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(mix(seed, epoch));
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  /** The examples in order, as for evaluation. */
  public Iterable<Batch> inOrder() {
    int[] order = new int[data.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    return () -> iterate(order);
  }

  /** The examples shuffled for epoch {@code epoch} (from 1) of a run seeded with {@code seed}. */
  public Iterable<Batch> shuffled(long seed, int epoch) {
    int[] order = shuffledOrder(seed, epoch);
    return () -> iterate(order);
  }

  private Iterator<Batch> iterate(int[] order) {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < order.length;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        int end = Math.min(next + batchSize, order.length);
        int[] indices = java.util.Arrays.copyOfRange(order, next, end);
        next = end;
        return Batch.gather(data, indices);
      }
    };
  }

  private static long mix(long seed, int epoch) {
    long z = seed * 0x9E3779B97F4A7C15L + epoch;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
