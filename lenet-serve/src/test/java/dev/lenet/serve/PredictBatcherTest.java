package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.tf.TfModel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The batcher alone, with a stand-in for the model: no TensorFlow, no HTTP. */
class PredictBatcherTest {

  /** One output class whose logit is the image's first pixel. */
  private static TfModel.SignatureOutputs echo(float[] nhwc, int count) {
    int size = nhwc.length / count;
    float[] logits = new float[count];
    for (int i = 0; i < count; i++) {
      logits[i] = nhwc[i * size];
    }
    return new TfModel.SignatureOutputs(count, 1, logits, logits.clone());
  }

  @Test
  void aBatchThatFailsWithAnErrorAnswers500AndTheWorkerServesTheNextOne() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (PredictBatcher batcher =
        new PredictBatcher(
            "m",
            (nhwc, count) -> {
              if (calls.getAndIncrement() == 0) {
                throw new OutOfMemoryError("Java heap space");
              }
              return echo(nhwc, count);
            },
            8,
            0,
            1,
            size -> {})) {
      assertThatThrownBy(() -> batcher.predict(new float[] {1, 2}, 1))
          .isInstanceOf(ApiException.class)
          .hasMessageContaining("OutOfMemoryError")
          .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(500));
      // With the only worker dead this would wait forever: bound the wait to fail instead.
      CompletableFuture<PredictBatcher.Slice> next =
          CompletableFuture.supplyAsync(() -> batcher.predict(new float[] {3, 4}, 1));
      assertThat(next.get(30, TimeUnit.SECONDS).logits(0)).containsExactly(3f);
    }
  }

  @Test
  void theTimeoutCountsFromTheFirstRequestsArrival() throws Exception {
    // One worker, busy with a slow first batch while a second request arrives. With the timeout
    // counted from when the worker takes it, the second request would wait its whole timeout again.
    CompletableFuture<Void> release = new CompletableFuture<>();
    try (PredictBatcher batcher =
        new PredictBatcher(
            "m",
            (nhwc, count) -> {
              if (nhwc[0] == 1) {
                release.join();
              }
              return echo(nhwc, count);
            },
            8,
            3_000_000, // three seconds
            1,
            size -> {})) {
      CompletableFuture<PredictBatcher.Slice> first =
          CompletableFuture.supplyAsync(() -> batcher.predict(new float[] {1}, 1));
      while (batcher.waiting() < 1) {
        Thread.sleep(5);
      }
      Thread.sleep(3_200); // the first batch has left: its three seconds are over
      CompletableFuture<PredictBatcher.Slice> second =
          CompletableFuture.supplyAsync(() -> batcher.predict(new float[] {2}, 1));
      while (batcher.waiting() < 2) {
        Thread.sleep(5);
      }
      Thread.sleep(3_200); // the second request's three seconds pass while the model is busy
      long start = System.nanoTime();
      release.complete(null);
      assertThat(first.get(30, TimeUnit.SECONDS).logits(0)).containsExactly(1f);
      assertThat(second.get(30, TimeUnit.SECONDS).logits(0)).containsExactly(2f);
      // It was due already: it runs at once instead of waiting another three seconds (the margin
      // is wide so that a loaded machine cannot make it fail).
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
    }
  }
}
