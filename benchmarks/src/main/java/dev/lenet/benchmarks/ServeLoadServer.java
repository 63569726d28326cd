package dev.lenet.benchmarks;

import dev.lenet.serve.LenetServer;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server side of bench/serve-load, in a process of its own so that its peak RSS is its own:
 * serves one model as {@code lenet} on 127.0.0.1 with the batching options given, prints {@code
 * port N} once listening, and on SIGTERM prints how many model calls it made and their images.
 *
 * <p>Usage: {@code ServeLoadServer MODEL_DIR BATCHING(on|off) MAX_BATCH_SIZE TIMEOUT_MICROS
 * THREADS}
 */
public final class ServeLoadServer {

  private ServeLoadServer() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length != 5) {
      System.err.println(
          "usage: ServeLoadServer MODEL_DIR on|off MAX_BATCH_SIZE TIMEOUT_MICROS THREADS");
      System.exit(2);
    }
    LongAdder calls = new LongAdder();
    LongAdder images = new LongAdder();
    LenetServer server =
        LenetServer.builder()
            .model("lenet", Path.of(args[0]))
            .port(0)
            .batching(args[1].equals("on"))
            .maxBatchSize(Integer.parseInt(args[2]))
            .batchTimeoutMicros(Long.parseLong(args[3]))
            .numBatchThreads(Integer.parseInt(args[4]))
            .batchSizeListener(
                size -> {
                  calls.increment();
                  images.add(size);
                })
            .build()
            .start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  System.out.println("calls " + calls.sum() + " images " + images.sum());
                  System.out.flush();
                  stopped.countDown();
                }));
    System.out.println("port " + server.port());
    System.out.flush();
    stopped.await();
  }
}
