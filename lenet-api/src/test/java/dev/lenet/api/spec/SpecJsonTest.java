package dev.lenet.api.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecJsonTest {

  private static final ModelSpec VARIANT =
      ModelSpec.builder()
          .input(3, 32, 30)
          .conv2d(8, 3, 5)
          .stride(2)
          .padding(1, 2)
          .relu()
          .maxPool(2, 1)
          .conv2d(4, 3)
          .tanh()
          .avgPool(3, 2)
          .flatten()
          .dense(7)
          .sigmoid()
          .dense(3)
          .build();

  @Test
  void roundTripsExactly() {
    ModelSpec tuned =
        ModelSpec.builder()
            .input(1, 28, 28)
            .conv2d(6, 5)
            .add(new BatchNorm(0.2, 1e-3))
            .relu()
            .flatten()
            .dense(10)
            .dropout(0.25)
            .dense(3)
            .build();
    for (ModelSpec spec :
        new ModelSpec[] {LeNet.classic(), VARIANT, LeNet.batchNorm(), LeNet.modern(), tuned}) {
      String json = SpecJson.write(spec);
      assertThat(SpecJson.read(json)).isEqualTo(spec);
      assertThat(SpecJson.write(SpecJson.read(json))).isEqualTo(json);
    }
  }

  @Test
  void roundTripsThroughAFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("spec.json");
    SpecJson.write(VARIANT, file);
    assertThat(SpecJson.read(file)).isEqualTo(VARIANT);
  }

  @Test
  void newLayerKindsAreNamedAfterTheirRecords() {
    assertThat(SpecJson.write(LeNet.batchNorm()))
        .contains("\"type\" : \"batchNorm\"")
        .contains("\"momentum\" : 0.1")
        .contains("\"epsilon\" : 1.0E-5");
    assertThat(SpecJson.write(LeNet.modern()))
        .contains("\"type\" : \"dropout\"")
        .contains("\"rate\" : 0.5");
  }

  @Test
  void documentIsReadable() {
    assertThat(SpecJson.write(LeNet.classic()))
        .contains("\"format\" : 1")
        .contains("\"type\" : \"conv2d\"")
        .contains("\"paddingHeight\" : 2");
  }

  @Test
  void malformedJsonSaysWhere() {
    String broken =
        "{\"format\": 1,\n \"input\": [1, 28, 28],\n \"layers\": [ {\"type\": \"flatten\"} ";
    assertThatThrownBy(() -> SpecJson.read(broken))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageStartingWith("spec JSON, line 3, column");
  }

  @Test
  void unknownFieldSaysWhichAndWhere() {
    String json =
        "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [\n"
            + "{\"type\": \"flatten\"},\n"
            + "{\"type\": \"dense\", \"units\": 10, \"activation\": \"relu\"}]}";
    assertThatThrownBy(() -> SpecJson.read(json))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("line 3")
        .hasMessageContaining("layers[1].activation")
        .hasMessageContaining("\"activation\"");
  }

  @Test
  void unknownLayerTypeAndMissingFieldAreNamed() {
    assertThatThrownBy(
            () ->
                SpecJson.read(
                    "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"lstm\"}]}"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("layers[0]")
        .hasMessageContaining("lstm");
    assertThatThrownBy(
            () ->
                SpecJson.read(
                    "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                        + " {\"type\": \"dense\"}]}"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("layers[1]")
        .hasMessageContaining("units");
  }

  @Test
  void invalidValuesAndShapesAreReportedWithTheLayer() {
    assertThatThrownBy(
            () ->
                SpecJson.read(
                    "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"},"
                        + " {\"type\": \"dense\", \"units\": 0}]}"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("layers[1]")
        .hasMessageContaining("units must be > 0, found 0");
    assertThatThrownBy(
            () ->
                SpecJson.read(
                    "{\"format\": 1, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"dense\","
                        + " \"units\": 10}]}"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessage(
            "spec JSON: layer 1 (Dense 10): input 1x28x28 is not a vector; add flatten() before"
                + " dense()");
  }

  @Test
  void unsupportedFormatIsRefused() {
    assertThatThrownBy(
            () ->
                SpecJson.read(
                    "{\"format\": 9, \"input\": [1, 28, 28], \"layers\": [{\"type\": \"flatten\"}]}"))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageContaining("format 9 is not supported");
  }

  @Test
  void fileErrorsNameTheFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"format\": 1,,}");
    assertThatThrownBy(() -> SpecJson.read(file))
        .isInstanceOf(SpecFormatException.class)
        .hasMessageStartingWith(file + ", line 1");
  }
}
