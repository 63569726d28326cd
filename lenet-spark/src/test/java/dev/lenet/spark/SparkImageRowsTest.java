package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.image.TestImages;
import dev.lenet.api.spec.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rows of Spark's {@code image} data source: the floats {@code ImageReader} gives for the same
 * files, the predictions {@code binaryFile} rows give, invalid rows as errors.
 */
class SparkImageRowsTest extends SharedSparkTest {

  @TempDir static Path dir;

  @Test
  void sparkImageSourceRowsGiveExactlyTheFloatsImageReaderGivesForTheSameFiles()
      throws IOException {
    Path colour = Files.createDirectories(dir.resolve("colour"));
    Random random = new Random(14);
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      paths.add(fixture.images.resolve(fixture.pngName(i)).toString());
    }
    // Colour, with and without alpha, in a size that the resize must average.
    for (int type : new int[] {BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR}) {
      BufferedImage image = new BufferedImage(41, 33, type);
      for (int y = 0; y < 33; y++) {
        for (int x = 0; x < 41; x++) {
          image.setRGB(x, y, random.nextInt());
        }
      }
      Path file = colour.resolve("colour" + type + ".png");
      Files.write(file, TestImages.encode(image, "png"));
      paths.add(file.toString());
    }
    List<Row> rows =
        fixture.spark.read().format("image").load(paths.toArray(String[]::new)).collectAsList();
    assertThat(rows).hasSize(paths.size());
    ImageReader reader = ImageReader.standard();
    Set<Integer> channelCounts = new HashSet<>();
    for (Row row : rows) {
      Row image = row.getStruct(0);
      String origin = SparkImages.origin(image);
      channelCounts.add(image.getInt(3));
      Path file = Path.of(URI.create(origin));
      for (Shape shape : new Shape[] {Shape.image(1, 28, 28), Shape.image(3, 28, 28)}) {
        assertThat(SparkImages.input(image, shape, origin))
            .as("%s as %s", origin, shape)
            .containsExactly(reader.read(file, shape));
      }
    }
    assertThat(channelCounts).as("gray, BGR and BGRA rows").containsExactlyInAnyOrder(1, 3, 4);
  }

  @Test
  void sparkImageSourceRowsAreClassifiedAsTheirFilesAndInvalidRowsAreErrors() {
    List<String> paths = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      paths.add(fixture.images.resolve(fixture.pngName(i)).toString());
    }
    for (String bad : new String[] {"truncated.png", "notes.txt", "garbage.jpg"}) {
      paths.add(fixture.images.resolve(bad).toString());
    }
    String[] all = paths.toArray(String[]::new);
    // One image per call into the model: identical floats give identical probabilities.
    LenetClassifier classifier = fixture.classifier().setBatchSize(1);
    Dataset<Row> images = fixture.spark.read().format("image").load(all);
    List<Row> fromImages =
        classifier
            .setInputCol("image")
            .transform(images)
            .select("image.origin", "prediction", "probability", "error")
            .collectAsList();
    Map<String, Row> fromFiles = new HashMap<>();
    for (Row row :
        fixture
            .classifier()
            .setBatchSize(1)
            .transform(fixture.spark.read().format("binaryFile").load(all))
            .select("path", "prediction", "probability", "error")
            .collectAsList()) {
      fromFiles.put(SparkFixture.fileName(row.getString(0)), row);
    }
    assertThat(fromImages).hasSize(203);
    List<String> errors = new ArrayList<>();
    for (Row row : fromImages) {
      String name = SparkFixture.fileName(row.getString(0));
      if (!row.isNullAt(3)) {
        errors.add(name);
        assertThat(row.getString(3))
            .isEqualTo(
                row.getString(0)
                    + ": Spark's image source could not decode this file (an invalid image row)");
        assertThat(row.isNullAt(1) && row.isNullAt(2)).as(name).isTrue();
        continue;
      }
      Row file = fromFiles.get(name);
      assertThat(row.getInt(1)).as(name).isEqualTo(file.getInt(1));
      assertThat(Float.floatToRawIntBits(row.getFloat(2)))
          .as(name)
          .isEqualTo(Float.floatToRawIntBits(file.getFloat(2)));
    }
    assertThat(errors).containsExactlyInAnyOrder("truncated.png", "notes.txt", "garbage.jpg");
  }
}
