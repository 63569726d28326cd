package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.SpecJson;
import org.junit.jupiter.api.Test;

/** lenet-api's JSON on the Jackson that Spark brings, as it runs inside a Spark application. */
class SparkJacksonTest {

  @Test
  void theTestsRunOnSparksJackson() {
    // Spark 4.1.0's fasterxml.jackson.version; the project elsewhere uses a newer release.
    assertThat(PackageVersion.VERSION.toString()).isEqualTo("2.20.0");
  }

  @Test
  void specsRoundTripThroughJson() {
    for (ModelSpec spec : new ModelSpec[] {LeNet.classic(), LeNet.modern()}) {
      assertThat(SpecJson.read(SpecJson.write(spec))).isEqualTo(spec);
    }
  }
}
