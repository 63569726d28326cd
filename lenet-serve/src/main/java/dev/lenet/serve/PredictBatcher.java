package dev.lenet.serve;

import dev.lenet.tf.TfModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;

/**
 * Gathers concurrent predict requests for one model into one call of its serving signature, as
 * TensorFlow Serving's batching does, and hands each request its own rows of the outputs.
 *
 * <p>Worker threads take turns to gather a batch: the gathering worker takes the queued requests in
 * arrival order while their images fit in {@code maxBatchSize}, waits at most {@code batchTimeout}
 * from the first one for more to arrive (0: takes what is queued and goes), then runs the model
 * while the next worker gathers. A request with more images than {@code maxBatchSize} runs alone,
 * whole. {@link #close()} stops taking requests (later ones get 503), runs what is queued without
 * waiting any longer, and returns when the workers have finished.
 */
final class PredictBatcher implements AutoCloseable {

  /** The rows of one request in a batch's outputs. */
  static final class Slice {
    private final TfModel.SignatureOutputs outputs;
    private final int offset;
    private final int count;

    Slice(TfModel.SignatureOutputs outputs, int offset, int count) {
      this.outputs = outputs;
      this.offset = offset;
      this.count = count;
    }

    /** Images of the request. */
    int count() {
      return count;
    }

    /** The request's image {@code i}'s logits. */
    float[] logits(int i) {
      return outputs.logits(offset + i);
    }

    /** The request's image {@code i}'s class probabilities. */
    float[] probabilities(int i) {
      return outputs.probabilities(offset + i);
    }
  }

  /** The model call a batch runs: {@link TfModel#signature} in the server. */
  interface Signature {
    TfModel.SignatureOutputs run(float[] nhwc, int count);
  }

  private static final class Pending {
    final float[] nhwc;
    final int count;
    final long queuedAt = System.nanoTime();
    final CompletableFuture<Slice> answer = new CompletableFuture<>();

    Pending(float[] nhwc, int count) {
      this.nhwc = nhwc;
      this.count = count;
    }
  }

  private final String model;
  private final Signature signature;
  private final int maxBatchSize;
  private final long timeoutNanos;
  private final IntConsumer batchSizes;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition arrived = lock.newCondition();
  private final ReentrantLock gathering = new ReentrantLock(true);
  private final List<Thread> workers = new ArrayList<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private boolean closed;
  private boolean hurry;

  /**
   * Starts {@code threads} workers for {@code model}; {@code batchSizes} is told each batch's size
   * in images before it runs.
   */
  PredictBatcher(
      String model,
      Signature signature,
      int maxBatchSize,
      long batchTimeoutMicros,
      int threads,
      IntConsumer batchSizes) {
    this.model = model;
    this.signature = signature;
    this.maxBatchSize = maxBatchSize;
    this.timeoutNanos = TimeUnit.MICROSECONDS.toNanos(batchTimeoutMicros);
    this.batchSizes = batchSizes;
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(this::work, "lenet-batch-" + model + "-" + i);
      t.setDaemon(true);
      workers.add(t);
    }
    workers.forEach(Thread::start);
  }

  /**
   * Queues {@code count} images (NHWC) and waits for their outputs.
   *
   * @throws ApiException 503 if the batcher is closed, 500 if the model call failed
   */
  Slice predict(float[] nhwc, int count) {
    Pending p = new Pending(nhwc, count);
    lock.lock();
    try {
      if (closed) {
        throw unavailable();
      }
      queue.add(p);
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    waiting.incrementAndGet();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return p.answer.get();
        } catch (InterruptedException e) {
          interrupted = true; // the worker answers every queued request: keep waiting
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException) {
            throw (RuntimeException) e.getCause();
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      waiting.decrementAndGet();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Requests queued or in a batch, not yet answered. */
  int waiting() {
    return waiting.get();
  }

  private ApiException unavailable() {
    return new ApiException(
        503, "the server is shutting down; model \"" + model + "\" takes no more requests");
  }

  private void work() {
    while (true) {
      List<Pending> batch;
      gathering.lock();
      try {
        batch = gather();
      } catch (InterruptedException e) {
        return; // nothing here interrupts a worker; close() fails what such an exit leaves
      } finally {
        gathering.unlock();
      }
      if (batch == null) {
        return;
      }
      run(batch);
    }
  }

  /** The next batch, or null once closed with nothing queued. */
  private List<Pending> gather() throws InterruptedException {
    lock.lock();
    try {
      while (queue.isEmpty()) {
        if (closed) {
          return null;
        }
        arrived.await();
      }
      List<Pending> batch = new ArrayList<>();
      Pending first = queue.poll();
      batch.add(first);
      if (first.count >= maxBatchSize) {
        return batch;
      }
      int images = first.count;
      // The timeout counts from the first request's arrival, not from when a worker got to it:
      // a request that waited behind a busy model does not wait the whole timeout again.
      long deadline = first.queuedAt + timeoutNanos;
      while (images < maxBatchSize) {
        Pending next = queue.peek();
        if (next != null) {
          if (images + next.count > maxBatchSize) {
            break;
          }
          batch.add(queue.poll());
          images += next.count;
          continue;
        }
        long left = deadline - System.nanoTime();
        if (closed || hurry || left <= 0) {
          break;
        }
        arrived.awaitNanos(left);
      }
      return batch;
    } finally {
      lock.unlock();
    }
  }

  private void run(List<Pending> batch) {
    try {
      int images = 0;
      for (Pending p : batch) {
        images += p.count;
      }
      float[] nhwc;
      if (batch.size() == 1) {
        nhwc = batch.get(0).nhwc;
      } else {
        nhwc = new float[batch.stream().mapToInt(p -> p.nhwc.length).sum()];
        int at = 0;
        for (Pending p : batch) {
          System.arraycopy(p.nhwc, 0, nhwc, at, p.nhwc.length);
          at += p.nhwc.length;
        }
      }
      batchSizes.accept(images);
      TfModel.SignatureOutputs out = signature.run(nhwc, images);
      int offset = 0;
      for (Pending p : batch) {
        p.answer.complete(new Slice(out, offset, p.count));
        offset += p.count;
      }
    } catch (RuntimeException | Error e) {
      RuntimeException failure =
          e instanceof ApiException
              ? (ApiException) e
              : new ApiException(
                  500,
                  "internal error: predicting a batch of model \""
                      + model
                      + "\" failed: "
                      + e.getClass().getSimpleName()
                      + ": "
                      + e.getMessage());
      for (Pending p : batch) {
        p.answer.completeExceptionally(failure);
      }
      // The worker lives on (an OutOfMemoryError from one huge batch should not leave the model
      // without workers and every later request waiting forever); the clients got a 500.
    }
  }

  /**
   * From now on batches wait for nothing (as with a timeout of 0) but requests are still taken:
   * while the server stops, the requests in flight reach the model without waiting out the timeout.
   */
  void hurry() {
    lock.lock();
    try {
      hurry = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes no more requests, runs the queued ones now and waits for the workers to finish: every
   * request queued before it gets its answer (or the model's error). Safe to call more than once.
   */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      arrived.signalAll();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    for (Thread t : workers) {
      while (t.isAlive()) {
        try {
          t.join();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    // A worker that died of an Error leaves its queue: fail what is left rather than hang.
    lock.lock();
    try {
      for (Pending p; (p = queue.poll()) != null; ) {
        p.answer.completeExceptionally(unavailable());
      }
    } finally {
      lock.unlock();
    }
  }
}
