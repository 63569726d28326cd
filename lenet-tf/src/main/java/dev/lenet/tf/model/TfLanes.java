package dev.lenet.tf.model;

import java.util.function.IntConsumer;

/**
 * Inference in two lanes: the caller takes even chunks, a helper thread odd ones. Two session calls
 * in flight keep both cores busy between the ops that use only one.
 */
public final class TfLanes {

  /** Session calls kept in flight at once. */
  public static final int LANES = 2;

  private TfLanes() {}

  /** Runs {@code work} for chunks {@code 0 .. chunks-1}, {@link #LANES} at a time. */
  public static void run(int chunks, IntConsumer work) {
    if (chunks <= 1) {
      if (chunks == 1) {
        work.accept(0);
      }
      return;
    }
    IntConsumer lane =
        first -> {
          for (int c = first; c < chunks; c += LANES) {
            work.accept(c);
          }
        };
    RuntimeException[] failure = new RuntimeException[1];
    Thread helper =
        new Thread(
            () -> {
              try {
                lane.accept(1);
              } catch (RuntimeException e) {
                failure[0] = e;
              }
            },
            "lenet-inference");
    helper.setDaemon(true);
    helper.start();
    try {
      lane.accept(0);
    } finally {
      try {
        helper.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted during inference", e);
      }
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }
}
