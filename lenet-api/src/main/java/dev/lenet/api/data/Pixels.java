package dev.lenet.api.data;

import java.nio.ByteBuffer;

/**
 * The one mapping from stored 8-bit samples (0-255) to a model's input values in [0, 1]: sample
 * {@code b} becomes {@code b * (1f / 255f)}, the float product that the TensorFlow backend's graph
 * has computed from fed bytes since 0.1.0 (Keras' {@code Rescaling(1. / 255)} computes the same).
 * Training batches and images read from files take their values from this one table, and a backend
 * that converts fed bytes in its own graph must give exactly these values (the TensorFlow backend
 * does, checked for all 256), so the same bytes reach a model as the same floats, bit for bit,
 * whichever path they come by.
 *
 * <p>The product differs from the correctly rounded quotient {@code b / 255f} (PyTorch's {@code
 * ToTensor}) in the last bit for 126 of the 256 values, by at most 6e-8. It is kept, rather than
 * the quotient, because it is what training has always fed: runs and checkpoints written by earlier
 * versions resume to the same bits.
 */
public final class Pixels {

  /** How many distinct 8-bit samples there are. */
  public static final int LEVELS = 256;

  private static final float[] UNIT = new float[LEVELS];

  static {
    for (int b = 0; b < LEVELS; b++) {
      UNIT[b] = b * (1f / 255f);
    }
  }

  private Pixels() {}

  /**
   * The model input value of an unsigned 8-bit sample.
   *
   * @param sample 0-255
   * @throws ArrayIndexOutOfBoundsException if {@code sample} is outside 0-255
   */
  public static float toUnit(int sample) {
    return UNIT[sample];
  }

  /** The value of every sample 0-255, in order: a fresh copy, for a backend's lookup table. */
  public static float[] unitTable() {
    return UNIT.clone();
  }

  /** {@code samples} (unsigned bytes) as model input values. */
  public static float[] toUnit(byte[] samples) {
    float[] out = new float[samples.length];
    for (int i = 0; i < samples.length; i++) {
      out[i] = UNIT[samples[i] & 0xFF];
    }
    return out;
  }

  /**
   * Converts {@code count} unsigned bytes of {@code source} from absolute index {@code from} into
   * {@code target} from {@code at}.
   */
  public static void toUnit(ByteBuffer source, int from, float[] target, int at, int count) {
    for (int k = 0; k < count; k++) {
      target[at + k] = UNIT[source.get(from + k) & 0xFF];
    }
  }
}
