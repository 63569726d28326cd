package dev.lenet.api.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.ModelFormatException;
import dev.lenet.api.train.TrainingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a saved model records beside its weights and spec ({@code model.json}).
 *
 * @param format the model directory format; readers refuse newer ones
 * @param library the lenet version that wrote it
 * @param backend the backend that wrote it, e.g. {@code tensorflow}
 * @param classNames one name per class, in label order
 * @param config how it was trained, or null if unknown
 * @param history metrics of each epoch trained
 * @param data the data set it was trained on (known set and file checksums), or null: models saved
 *     by lenet 0.1.0, or trained on data built in memory, record none
 */
public record ModelMetadata(
    int format,
    String library,
    String backend,
    List<String> classNames,
    TrainingConfig config,
    List<EpochMetrics> history,
    DataIdentity data) {

  /** The model directory format this version writes and reads. */
  public static final int FORMAT = 1;

  /** The file name inside a model directory. */
  public static final String FILE = "model.json";

  private static final ObjectMapper MAPPER =
      Json.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  public ModelMetadata {
    classNames = List.copyOf(classNames);
    history = history == null ? List.of() : List.copyOf(history);
  }

  /** Writes {@code dir/model.json}. */
  public void write(Path dir) throws IOException {
    Files.writeString(dir.resolve(FILE), MAPPER.writeValueAsString(this));
  }

  /**
   * Reads {@code dir/model.json}.
   *
   * @throws ModelFormatException if it is missing, unreadable, or from a newer format
   */
  public static ModelMetadata read(Path dir) {
    Path file = dir.resolve(FILE);
    ModelMetadata m;
    try {
      m = MAPPER.readValue(Files.readString(file), ModelMetadata.class);
    } catch (NoSuchFileException e) {
      throw new ModelFormatException(
          dir + ": missing " + FILE + "; is this a lenet model directory?", e);
    } catch (JsonProcessingException e) {
      throw new ModelFormatException(
          file + ": not valid model metadata: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new ModelFormatException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (m.format() > FORMAT) {
      throw new ModelFormatException(
          dir
              + ": written by lenet "
              + m.library()
              + " in model format "
              + m.format()
              + "; this lenet ("
              + dev.lenet.api.Lenet.VERSION
              + ") reads format "
              + FORMAT
              + " and older: upgrade lenet to load it");
    }
    return m;
  }
}
