package dev.lenet.api.train;

import java.util.Locale;

/**
 * Where a backend runs: {@code cpu}, {@code gpu} / {@code gpu:N}, or {@code auto} (a GPU when the
 * backend sees one, else the CPU).
 *
 * @param kind which sort of device
 * @param index the GPU ordinal, 0 for the others
 */
public record Device(Kind kind, int index) {

  /** The sorts of device. */
  public enum Kind {
    AUTO,
    CPU,
    GPU
  }

  /** The CPU. */
  public static final Device CPU = new Device(Kind.CPU, 0);

  /** The first GPU. */
  public static final Device GPU = new Device(Kind.GPU, 0);

  /** A GPU if there is one, else the CPU. */
  public static final Device AUTO = new Device(Kind.AUTO, 0);

  public Device {
    if (kind == null) {
      throw new IllegalArgumentException("device kind must not be null");
    }
    if (index < 0 || (kind != Kind.GPU && index != 0)) {
      throw new IllegalArgumentException("device index must be >= 0 and only set for a GPU");
    }
  }

  /**
   * Parses {@code auto}, {@code cpu}, {@code gpu} or {@code gpu:N}.
   *
   * @throws IllegalArgumentException for anything else, listing what is accepted
   */
  public static Device parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    switch (t) {
      case "auto":
        return AUTO;
      case "cpu":
        return CPU;
      case "gpu":
        return GPU;
      default:
        if (t.startsWith("gpu:")) {
          try {
            return new Device(Kind.GPU, Integer.parseInt(t.substring(4)));
          } catch (IllegalArgumentException e) {
            // fall through to the message below
          }
        }
        throw new IllegalArgumentException(
            "unknown device '" + text + "'; use auto, cpu, gpu or gpu:N (N = 0, 1, ...)");
    }
  }

  @Override
  public String toString() {
    return kind == Kind.GPU ? "gpu:" + index : kind.name().toLowerCase(Locale.ROOT);
  }
}
