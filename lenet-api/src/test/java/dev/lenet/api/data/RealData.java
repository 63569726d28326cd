package dev.lenet.api.data;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

/**
 * Where tests find the real Fashion-MNIST: Debian's {@code dataset-fashion-mnist}. Tests that need
 * it are skipped where it is absent, unless {@code LENET_REQUIRE_DATA=1} (CI), where its absence
 * fails them.
 */
public final class RealData {

  /** Debian's location of the files. */
  public static final Path FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");

  private RealData() {}

  /** The directory with the real Fashion-MNIST, or the test is skipped (or failed in CI). */
  public static Path fashionMnist() {
    boolean present = MnistFiles.complete(FASHION_MNIST);
    if (!present && "1".equals(System.getenv("LENET_REQUIRE_DATA"))) {
      fail(
          "LENET_REQUIRE_DATA=1 but Fashion-MNIST is not in "
              + FASHION_MNIST
              + "; run: apt-get install dataset-fashion-mnist");
    }
    assumeTrue(
        present,
        "Fashion-MNIST not in " + FASHION_MNIST + " (apt-get install dataset-fashion-mnist)");
    return FASHION_MNIST;
  }
}
