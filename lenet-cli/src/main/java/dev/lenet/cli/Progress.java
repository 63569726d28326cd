package dev.lenet.cli;

import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows training progress: on a terminal a bar per epoch (batches done, loss so far, examples/sec,
 * time left), redrawn in place; otherwise one plain line per epoch, so that logs stay readable.
 */
final class Progress implements TrainingListener {

  private static final int BAR = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintWriter out;
  private final boolean terminal;
  private final int epochs;
  private long lastDraw;
  private boolean barShown;

  Progress(PrintWriter out, boolean terminal, int epochs) {
    this.out = out;
    this.terminal = terminal;
    this.epochs = epochs;
  }

  @Override
  public void onBatch(BatchProgress p) {
    if (!terminal) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS && p.batch() != p.batches()) {
      return;
    }
    lastDraw = now;
    barShown = true;
    int filled = (int) ((long) BAR * p.batch() / p.batches());
    double perSecond = p.seconds() > 0 ? p.examples() / p.seconds() : 0;
    double left = p.batch() > 0 ? p.seconds() / p.batch() * (p.batches() - p.batch()) : 0;
    out.printf(
        Locale.ROOT,
        "\repoch %d/%d [%s%s] %d/%d  loss %.3f  acc %.3f  %,.0f ex/s  %s left ",
        p.epoch(),
        epochs,
        "=".repeat(filled),
        " ".repeat(BAR - filled),
        p.batch(),
        p.batches(),
        p.meanLoss(),
        p.accuracy(),
        perSecond,
        duration(left));
    out.flush();
  }

  @Override
  public void onEpoch(EpochMetrics m) {
    if (terminal) {
      out.print("\r" + " ".repeat(100) + "\r");
      barShown = false;
    }
    out.println(line(m, epochs));
    out.flush();
  }

  /**
   * Ends a bar left on the screen by a run that stopped in the middle of an epoch, so that the
   * error printed next starts on a line of its own.
   */
  void stopped() {
    if (barShown) {
      out.println();
      out.flush();
      barShown = false;
    }
  }

  /** The plain per-epoch line. */
  static String line(EpochMetrics m, int epochs) {
    return String.format(
        Locale.ROOT,
        "epoch %d/%d: loss %.3f, train acc %.3f, test acc %.3f, %.0f examples/sec, %.1f s",
        m.epoch(),
        epochs,
        m.trainLoss(),
        m.trainAccuracy(),
        m.testAccuracy(),
        m.examplesPerSecond(),
        m.seconds());
  }

  private static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
  }
}
