package dev.lenet.api.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.data.MnistFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** model.json records the data set a model was trained on; files without the record still read. */
class ModelMetadataDataTest {

  @TempDir Path tmp;

  @Test
  void theDataSetIsWrittenAndReadBack() throws IOException {
    DataIdentity data =
        new DataIdentity(
            "fashion-mnist",
            Map.of(
                MnistFiles.TRAIN_IMAGES, "1".repeat(64),
                MnistFiles.TRAIN_LABELS, "2".repeat(64),
                MnistFiles.TEST_IMAGES, "3".repeat(64),
                MnistFiles.TEST_LABELS, "4".repeat(64)));
    new ModelMetadata(1, "x", "tensorflow", List.of("a", "b"), null, List.of(), data).write(tmp);
    assertThat(Files.readString(tmp.resolve(ModelMetadata.FILE)))
        .contains("\"data\" : {")
        .contains("\"name\" : \"fashion-mnist\"")
        .contains("\"train-images-idx3-ubyte\" : \"" + "1".repeat(64) + "\"");
    assertThat(ModelMetadata.read(tmp).data()).isEqualTo(data);
  }

  @Test
  void aFileWithoutTheRecordReadsAsNone() throws IOException {
    // As lenet 0.1.0 wrote model.json: no "data".
    Files.writeString(
        tmp.resolve(ModelMetadata.FILE),
        "{\"format\": 1, \"library\": \"0.1.0-SNAPSHOT\", \"backend\": \"tensorflow\","
            + " \"classNames\": [\"a\", \"b\"], \"history\": []}");
    ModelMetadata m = ModelMetadata.read(tmp);
    assertThat(m.data()).isNull();
    assertThat(m.classNames()).containsExactly("a", "b");
  }
}
