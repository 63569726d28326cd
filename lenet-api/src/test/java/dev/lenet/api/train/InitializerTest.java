package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ParameterInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InitializerTest {

  @Test
  void leNetParametersHaveTheBooksLayouts() {
    List<ParameterInfo> params = ParameterInfo.of(LeNet.classic());
    assertThat(params.stream().map(ParameterInfo::name))
        .containsExactly(
            "layer1.weight",
            "layer1.bias",
            "layer4.weight",
            "layer4.bias",
            "layer8.weight",
            "layer8.bias",
            "layer10.weight",
            "layer10.bias",
            "layer12.weight",
            "layer12.bias");
    assertThat(params.get(0).shape()).containsExactly(6, 1, 5, 5);
    assertThat(params.get(2).shape()).containsExactly(16, 6, 5, 5);
    assertThat(params.get(4).shape()).containsExactly(120, 400);
    assertThat(params.stream().mapToInt(ParameterInfo::size).sum()).isEqualTo(61_706);
    assertThat(params.get(2).spec().fanIn()).isEqualTo(150);
    assertThat(params.get(2).spec().fanOut()).isEqualTo(400);
  }

  @Test
  void xavierAndBiasBoundsFollowTheirFormulas() {
    Map<String, float[]> w = Initializer.initialize(LeNet.classic(), WeightInit.XAVIER_UNIFORM, 1);
    double xavier = Math.sqrt(6.0 / (400 + 120)); // layer8: 400 -> 120
    float[] dense = w.get("layer8.weight");
    assertThat(max(dense)).isLessThanOrEqualTo(xavier).isGreaterThan(0.95 * xavier);
    // Uniform on [-a, a] has variance a^2 / 3.
    assertThat(variance(dense)).isCloseTo(xavier * xavier / 3, within(xavier * xavier * 0.02));
    double bias = 1 / Math.sqrt(400);
    assertThat(max(w.get("layer8.bias"))).isLessThanOrEqualTo(bias).isGreaterThan(0.9 * bias);
  }

  @Test
  void heNormalHasItsVarianceAndZerosAreZero() {
    Map<String, float[]> he = Initializer.initialize(LeNet.classic(), WeightInit.HE_NORMAL, 2);
    assertThat(variance(he.get("layer8.weight"))).isCloseTo(2.0 / 400, within(2.0 / 400 * 0.03));
    Map<String, float[]> zeros = Initializer.initialize(LeNet.classic(), WeightInit.ZEROS, 2);
    zeros.values().forEach(v -> assertThat(max(v)).isZero());
  }

  @Test
  void theSeedDecides() {
    var a = Initializer.initialize(LeNet.classic(), WeightInit.XAVIER_UNIFORM, 7);
    var b = Initializer.initialize(LeNet.classic(), WeightInit.XAVIER_UNIFORM, 7);
    var c = Initializer.initialize(LeNet.classic(), WeightInit.XAVIER_UNIFORM, 8);
    assertThat(a.get("layer1.weight")).containsExactly(b.get("layer1.weight"));
    assertThat(a.get("layer1.weight")).isNotEqualTo(c.get("layer1.weight"));
  }

  private static double max(float[] v) {
    double m = 0;
    for (float x : v) {
      m = Math.max(m, Math.abs(x));
    }
    return m;
  }

  private static double variance(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return s / v.length;
  }
}
