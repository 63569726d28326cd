package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeNetTest {

  @Test
  void classicMatchesTheBooksShapePrintout() {
    // From d2l.ai, chapter "LeNet", for X = torch.rand(size=(1, 1, 28, 28)).
    assertThat(LeNet.classic().shapePrintout())
        .isEqualTo(
            """
            Conv2d output shape: (1, 6, 28, 28)
            Sigmoid output shape: (1, 6, 28, 28)
            AvgPool2d output shape: (1, 6, 14, 14)
            Conv2d output shape: (1, 16, 10, 10)
            Sigmoid output shape: (1, 16, 10, 10)
            AvgPool2d output shape: (1, 16, 5, 5)
            Flatten output shape: (1, 400)
            Linear output shape: (1, 120)
            Sigmoid output shape: (1, 120)
            Linear output shape: (1, 84)
            Sigmoid output shape: (1, 84)
            Linear output shape: (1, 10)
            """);
  }

  @Test
  void classicHasTheBooksParameterCounts() {
    ModelSpec spec = LeNet.classic();
    List<Long> perLayer = spec.layerInfos().stream().map(LayerInfo::parameters).toList();
    // conv1: 6*(1*5*5+1); conv2: 16*(6*5*5+1); dense: out*(in+1)
    assertThat(perLayer)
        .containsExactly(156L, 0L, 0L, 2416L, 0L, 0L, 0L, 48120L, 0L, 10164L, 0L, 850L);
    assertThat(spec.parameterCount()).isEqualTo(61_706L);
    assertThat(spec.classes()).isEqualTo(10);
    assertThat(spec.input()).isEqualTo(Shape.image(1, 28, 28));
  }

  @Test
  void classicIsExactlyTheBooksLayers() {
    assertThat(LeNet.classic().layers())
        .containsExactly(
            new Conv2d(6, 5, 5, 1, 1, 2, 2),
            new Sigmoid(),
            new AvgPool2d(2, 2, 2, 2),
            new Conv2d(16, 5, 5, 1, 1, 0, 0),
            new Sigmoid(),
            new AvgPool2d(2, 2, 2, 2),
            new Flatten(),
            new Dense(120),
            new Sigmoid(),
            new Dense(84),
            new Sigmoid(),
            new Dense(10));
  }

  @Test
  void summaryIsATableWithTheTotal() {
    String summary = LeNet.classic().summary();
    assertThat(summary.lines().filter(l -> l.matches("\\s*\\d+ .*"))).hasSize(12);
    assertThat(summary)
        .contains("Conv2d 6x5x5 pad 2")
        .contains("(6, 28, 28)")
        .contains("48,120")
        .contains("(10)")
        .endsWith("Total params: 61,706\n");
  }

  @Test
  void specsHaveValueEqualityAndAreImmutable() {
    ModelSpec a = LeNet.classic();
    ModelSpec b = LeNet.classic();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(ModelSpec.builder().input(1, 28, 28).flatten().dense(10).build());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.layers().add(new Relu()))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
