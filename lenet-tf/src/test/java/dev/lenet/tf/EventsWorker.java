package dev.lenet.tf;

import dev.lenet.api.train.EpochMetrics;
import java.nio.file.Path;

/** Writes a TensorBoard event file in a fresh JVM, so a test can see which classes that loads. */
public final class EventsWorker {

  private EventsWorker() {}

  public static void main(String[] args) {
    TfTensorBoard board = new TfTensorBoard(Path.of(args[0]));
    board.onEpoch(new EpochMetrics(1, 0.5, 0.8, 0.75, 1000, 1.2));
    System.out.println("WROTE " + board.file().orElseThrow());
  }
}
