package dev.lenet.spark;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/** A test class on the shared {@link SparkFixture}: built once per run, stopped at its end. */
@ExtendWith(SparkFixture.Shared.class)
abstract class SharedSparkTest {

  static SparkFixture fixture;

  @BeforeAll
  static void shareFixture(SparkFixture shared) {
    fixture = shared;
  }
}
