package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ShapeInferenceTest {

  /** The textbook formula, written independently of the code under test. */
  private static int expected(int n, int k, int s, int p) {
    return Math.floorDiv(n + 2 * p - k, s) + 1;
  }

  @Test
  void convolutionOutputSizesMatchTheFormulaOverAGrid() {
    int checked = 0;
    for (int h = 1; h <= 12; h++) {
      for (int w : new int[] {1, 5, 9}) {
        for (int k = 1; k <= 5; k++) {
          for (int s = 1; s <= 3; s++) {
            for (int p = 0; p <= 2; p++) {
              Conv2d conv = new Conv2d(4, k, k, s, s, p, p);
              Shape in = Shape.image(3, h, w);
              if (h + 2 * p < k || w + 2 * p < k) {
                assertThatThrownBy(() -> conv.outputShape(in))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("smaller than the kernel");
              } else {
                assertThat(conv.outputShape(in))
                    .isEqualTo(Shape.image(4, expected(h, k, s, p), expected(w, k, s, p)));
                checked++;
              }
            }
          }
        }
      }
    }
    assertThat(checked).isGreaterThan(300);
  }

  @Test
  void rectangularConvolutionUsesEachAxisOwnValues() {
    Conv2d conv = new Conv2d(2, 3, 5, 1, 2, 1, 0);
    assertThat(conv.outputShape(Shape.image(1, 10, 11)))
        .isEqualTo(Shape.image(2, expected(10, 3, 1, 1), expected(11, 5, 2, 0)));
  }

  @Test
  void poolingOutputSizesMatchTheFormulaOverAGrid() {
    for (int n = 1; n <= 16; n++) {
      for (int k = 1; k <= 4; k++) {
        for (int s = 1; s <= 4; s++) {
          Shape in = Shape.image(6, n, n);
          for (Pool2d pool : new Pool2d[] {AvgPool2d.of(k, s), MaxPool2d.of(k, s)}) {
            if (n < k) {
              assertThatThrownBy(() -> pool.outputShape(in))
                  .isInstanceOf(IllegalArgumentException.class);
            } else {
              int m = expected(n, k, s, 0);
              assertThat(pool.outputShape(in)).isEqualTo(Shape.image(6, m, m));
            }
          }
        }
      }
    }
  }

  @Test
  void parameterCountsFollowTheirFormulas() {
    assertThat(new Conv2d(16, 5, 3, 1, 1, 0, 0).parameterCount(Shape.image(6, 14, 14)))
        .isEqualTo(16L * (6 * 5 * 3 + 1));
    assertThat(new Dense(84).parameterCount(Shape.vector(120))).isEqualTo(84L * 121);
    assertThat(new Sigmoid().parameterCount(Shape.vector(3))).isZero();
    assertThat(AvgPool2d.of(2, 2).parameterCount(Shape.image(1, 4, 4))).isZero();
  }

  @Test
  void flattenMultipliesAllDimensionsAndActivationsKeepTheShape() {
    assertThat(new Flatten().outputShape(Shape.image(16, 5, 5))).isEqualTo(Shape.vector(400));
    for (Layer activation : new Layer[] {new Sigmoid(), new Relu(), new Tanh()}) {
      assertThat(activation.outputShape(Shape.image(2, 3, 4))).isEqualTo(Shape.image(2, 3, 4));
    }
  }
}
