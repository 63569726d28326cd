package dev.lenet.api.train;

import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.ParameterInfo;
import dev.lenet.api.spec.ParameterSpec;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Initial weights for a spec, computed in Java so that every backend starts from the same numbers
 * for the same seed. Layout and names as in {@link ParameterInfo}.
 */
public final class Initializer {

  private Initializer() {}

  /**
   * Fresh weights and state: {@code init} for weights, PyTorch's default {@code U(-1/sqrt(fan_in),
   * 1/sqrt(fan_in))} for biases (zeros under {@link WeightInit#ZEROS}), and ones or zeros where a
   * layer asks for them (batch normalization's scale and running variance, its shift and running
   * mean). Random draws are made in parameter order, only for weights and biases.
   *
   * @return name to values, in {@link ParameterInfo#of(ModelSpec)} order
   */
  public static Map<String, float[]> initialize(ModelSpec spec, WeightInit init, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (ParameterInfo p : ParameterInfo.of(spec)) {
      float[] values = new float[p.size()];
      ParameterSpec s = p.spec();
      switch (s.init()) {
        case ONES -> Arrays.fill(values, 1f);
        case ZEROS -> {}
        case BIAS -> {
          if (init != WeightInit.ZEROS) {
            fillUniform(values, 1 / Math.sqrt(s.fanIn()), random);
          }
        }
        case WEIGHT -> {
          switch (init) {
            case ZEROS -> {}
            case XAVIER_UNIFORM ->
                fillUniform(values, Math.sqrt(6.0 / (s.fanIn() + s.fanOut())), random);
            case HE_NORMAL -> {
              double std = Math.sqrt(2.0 / s.fanIn());
              for (int i = 0; i < values.length; i++) {
                values[i] = (float) (gaussian(random) * std);
              }
            }
          }
        }
      }
      weights.put(p.name(), values);
    }
    return weights;
  }

  private static void fillUniform(float[] values, double bound, SplittableRandom random) {
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
    }
  }

  /** A standard normal draw (Box-Muller), from the given generator only. */
  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
