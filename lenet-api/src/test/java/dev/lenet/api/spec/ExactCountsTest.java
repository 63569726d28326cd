package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * Size checks print the exact count, however large: before, products were counted in {@code double}
 * and printed rounded (4,611,686,014,132,420,600 for 1x2147483647x2147483647).
 */
class ExactCountsTest {

  @Test
  void anInputPastTwoToTheFiftyThreeIsCountedExactly() {
    assertThatThrownBy(
            () ->
                ModelSpec.builder()
                    .input(1, Integer.MAX_VALUE, Integer.MAX_VALUE)
                    .flatten()
                    .dense(10)
                    .build())
        .isExactlyInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "input 1x2147483647x2147483647 has 4,611,686,014,132,420,609 values per example, more"
                + " than the limit of 1,000,000");
  }

  @Test
  void anInputPastLongIsCountedExactly() {
    // 2147483647^3 = 9,903,520,300,447,984,150,353,281,023: more than a long holds.
    assertThatThrownBy(
            () ->
                ModelSpec.builder()
                    .input(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE)
                    .flatten()
                    .dense(10)
                    .build())
        .hasMessageContaining("has 9,903,520,300,447,984,150,353,281,023 values per example");
  }

  @Test
  void aConvolutionOutputIsCountedExactly() {
    // 2147483647 filters x 4294967322 x 4294967322 (a 1x1 kernel over 28 + 2 x 2147483647).
    assertThatThrownBy(
            () ->
                ModelSpec.builder()
                    .input(1, 28, 28)
                    .conv2d(Integer.MAX_VALUE, 1)
                    .padding(Integer.MAX_VALUE)
                    .flatten()
                    .dense(10)
                    .build())
        .hasMessageContaining(
            "output 2147483647x4294967322x4294967322 has 39,614,081,718,300,771,867,871,411,548"
                + " values per example");
  }
}
