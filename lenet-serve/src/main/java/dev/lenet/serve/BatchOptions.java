package dev.lenet.serve;

import java.util.function.IntConsumer;

/**
 * How predict requests are batched: as {@link LenetServer.Builder#batching}, {@link
 * LenetServer.Builder#maxBatchSize}, {@link LenetServer.Builder#batchTimeoutMicros}, {@link
 * LenetServer.Builder#numBatchThreads} and {@link LenetServer.Builder#batchSizeListener} set them.
 */
record BatchOptions(
    boolean enabled, int maxBatchSize, long timeoutMicros, int threads, IntConsumer batchSizes) {

  /** These options with {@code more} told each batch size too, after the listener already set. */
  BatchOptions alsoTelling(IntConsumer more) {
    return new BatchOptions(
        enabled, maxBatchSize, timeoutMicros, threads, batchSizes.andThen(more));
  }
}
