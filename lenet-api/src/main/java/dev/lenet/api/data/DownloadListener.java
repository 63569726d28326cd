package dev.lenet.api.data;

import java.io.PrintStream;
import java.net.URI;
import java.util.Locale;

/** Hears how a data-set download is going. */
public interface DownloadListener {

  /** A listener that ignores everything. */
  DownloadListener NONE = (source, bytes, total) -> {};

  /**
   * Some of {@code source} has arrived.
   *
   * @param bytes bytes received so far
   * @param total the announced size, or -1 if the server did not say
   */
  void onProgress(URI source, long bytes, long total);

  /** Prints a line per file every 10% (and at the end) to {@code out}. */
  static DownloadListener printingTo(PrintStream out) {
    return new DownloadListener() {
      private URI current;
      private long lastTenth = -1;

      @Override
      public void onProgress(URI source, long bytes, long total) {
        if (!source.equals(current)) {
          current = source;
          lastTenth = -1;
        }
        long tenth = total > 0 ? bytes * 10 / total : bytes >> 23;
        if (tenth != lastTenth) {
          lastTenth = tenth;
          String size =
              total > 0
                  ? String.format(Locale.ROOT, "%3d%% of %.1f MB", bytes * 100 / total, total / 1e6)
                  : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
          out.println("downloading " + source + ": " + size);
        }
      }
    };
  }
}
