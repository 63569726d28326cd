package dev.lenet.api.image;

/**
 * Resizes rows of 8-bit samples to a target size by area averaging, in exact integer arithmetic:
 * each target pixel is the mean of the source area it covers (partly covered source pixels count by
 * the part covered), rounded to the nearest integer, halves up. A block of equal pixels gives
 * exactly their value, so an image enlarged by pixel replication (any integer factor) comes back as
 * the original pixels, and an image of the target size is unchanged.
 *
 * <p>Along an axis of {@code S} source and {@code T} target pixels, in units of {@code 1/(S*T)} of
 * the axis, source pixel {@code i} covers {@code [i*T, (i+1)*T)} and target pixel {@code j} covers
 * {@code [j*S, (j+1)*S)}; the weight of a pair is the length of their overlap. Memory is a few
 * rows, whatever the source size.
 */
final class AreaAverage {

  private final int width;
  private final int height;
  private final int channels;
  private final Axis xs;
  private final Axis ys;
  private final long[][] rowSums; // [channel][target x]: the current source row, averaged in x
  private final long[][] sums; // [channel][target y * width + target x]
  private final long total; // the weight of each target pixel: source width * source height

  AreaAverage(int sourceWidth, int sourceHeight, int width, int height, int channels) {
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.xs = Axis.of(sourceWidth, width);
    this.ys = Axis.of(sourceHeight, height);
    this.rowSums = new long[channels][width];
    this.sums = new long[channels][width * height];
    this.total = (long) sourceWidth * sourceHeight;
  }

  /** Adds source row {@code y}: {@code row[c][x]} are its 8-bit samples of channel {@code c}. */
  void add(int y, int[][] row) {
    for (int c = 0; c < channels; c++) {
      long[] acc = rowSums[c];
      java.util.Arrays.fill(acc, 0);
      int[] source = row[c];
      for (int i = 0; i < xs.start.length - 1; i++) {
        long v = source[i];
        for (int k = xs.start[i]; k < xs.start[i + 1]; k++) {
          acc[xs.target[k]] += xs.weight[k] * v;
        }
      }
      long[] out = sums[c];
      for (int k = ys.start[y]; k < ys.start[y + 1]; k++) {
        int base = ys.target[k] * width;
        long w = ys.weight[k];
        for (int x = 0; x < width; x++) {
          out[base + x] += w * acc[x];
        }
      }
    }
  }

  /** The resized image, channel-major {@code (C, H, W)}, one unsigned byte per sample. */
  byte[] samples() {
    int plane = width * height;
    byte[] out = new byte[channels * plane];
    for (int c = 0; c < channels; c++) {
      for (int p = 0; p < plane; p++) {
        out[c * plane + p] = (byte) ((2 * sums[c][p] + total) / (2 * total));
      }
    }
    return out;
  }

  /** The (source, target, weight) overlaps along one axis, grouped by source pixel. */
  private static final class Axis {
    final int[] start; // source i's overlaps are [start[i], start[i + 1])
    final int[] target;
    final long[] weight;

    private Axis(int[] start, int[] target, long[] weight) {
      this.start = start;
      this.target = target;
      this.weight = weight;
    }

    static Axis of(int source, int target) {
      int[] start = new int[source + 1];
      int[] to = new int[source + target];
      long[] weight = new long[source + target];
      int n = 0;
      for (int i = 0; i < source; i++) {
        start[i] = n;
        long lo = (long) i * target;
        long hi = lo + target;
        for (long j = lo / source; j * source < hi; j++) {
          to[n] = (int) j;
          weight[n] = Math.min(hi, (j + 1) * source) - Math.max(lo, j * source);
          n++;
        }
      }
      start[source] = n;
      return new Axis(start, to, weight);
    }
  }
}
