package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Float array input, the top-k column and {@code errorCount}. */
class FloatArraysAndTopKTest extends SharedSparkTest {

  @Test
  void floatArraysInTheModelsShapeAreClassifiedAndWrongSizesGetErrors() {
    List<Row> input = new ArrayList<>();
    byte[] pixels = new byte[784];
    for (int i = 0; i < 500; i++) {
      fixture.data.test().pixelBuffer().get(i * 784, pixels);
      List<Float> floats = new ArrayList<>(784);
      for (int k = 0; k < 784; k++) {
        floats.add((pixels[k] & 0xFF) / 255f);
      }
      input.add(RowFactory.create("image " + i, floats));
    }
    input.add(RowFactory.create("short", List.of(0.5f, 0.5f)));
    StructType schema =
        new StructType()
            .add("path", DataTypes.StringType)
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType));
    Dataset<Row> df =
        fixture
            .spark
            .createDataFrame(input, schema)
            .repartition(10)
            .withColumn("partition", functions.spark_partition_id());
    List<Row> rows =
        fixture
            .classifier()
            .setInputCol("pixels")
            .setBatchSize(7)
            .transform(df)
            .select("path", "prediction", "probability", "error", "pixels", "partition")
            .collectAsList();
    assertThat(rows).hasSize(501);
    try (TfModel model = TfModel.load(fixture.model)) {
      List<float[]> inputs = new ArrayList<>();
      List<Integer> partitionOf = new ArrayList<>();
      for (Row row : rows) {
        List<Float> values = row.getList(4);
        float[] floats = new float[values.size()];
        for (int k = 0; k < floats.length; k++) {
          floats[k] = values.get(k);
        }
        inputs.add(row.getString(0).equals("short") ? null : floats);
        partitionOf.add(row.getInt(5));
      }
      List<Prediction> expected = SparkBatches.predict(model, inputs, partitionOf, 7);
      for (int i = 0; i < rows.size(); i++) {
        Row row = rows.get(i);
        String name = row.getString(0);
        if (name.equals("short")) {
          assertThat(row.isNullAt(1)).isTrue();
          assertThat(row.getString(3))
              .isEqualTo("short: expected 784 floats for the model's input 1x28x28, found 2");
        } else {
          Prediction p = expected.get(i);
          assertThat(row.isNullAt(3)).as(name).isTrue();
          assertThat(row.getInt(1)).as(name).isEqualTo(p.predictedClass());
          assertThat(Float.floatToRawIntBits(row.getFloat(2)))
              .as(name)
              .isEqualTo(Float.floatToRawIntBits(p.probabilities().get(p.predictedClass())));
        }
      }
    }
    assertThat(ModelCache.loads(fixture.model.toString())).isEqualTo(1);
  }

  @Test
  void topKListsTheMostProbableClassesInOrderAndErrorCountCountsTheBadRows() {
    Dataset<Row> some = fixture.files().filter("path LIKE '%/000%' OR path LIKE '%notes.txt'");
    assertThat(fixture.classifier().transform(some).columns()).doesNotContain("topK");
    List<Row> rows =
        fixture
            .classifier()
            .setTopK(3)
            .setProbabilitiesCol("probabilities")
            .transform(some)
            .select("path", "prediction", "probabilities", "topK", "error")
            .collectAsList();
    assertThat(rows).hasSize(101);
    LenetClassifier counting = fixture.classifier().setErrorCol("why");
    Dataset<Row> withBad =
        fixture
            .files()
            .filter("path LIKE '%/000%' OR path NOT LIKE '%.png' OR path LIKE '%truncated%'");
    Dataset<Row> out = counting.transform(withBad).cache();
    assertThat(counting.errorCount(out)).isEqualTo(SparkFixture.BAD_FILES);
    assertThat(out.count()).isEqualTo(100 + SparkFixture.BAD_FILES);
    out.unpersist();
    assertThat(counting.errorCount(counting.transform(some))).isEqualTo(1);
    assertThatThrownBy(() -> counting.errorCount(some))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("error column why is not in the data");
    List<String> names;
    try (TfModel model = TfModel.load(fixture.model)) {
      names = model.classNames();
    }
    for (Row row : rows) {
      String name = SparkFixture.fileName(row.getString(0));
      if (!row.isNullAt(4)) {
        assertThat(name).isEqualTo("notes.txt");
        assertThat(row.isNullAt(3)).isTrue();
        continue;
      }
      List<Float> probabilities = row.getList(2);
      List<Integer> expected = new ArrayList<>();
      for (int c = 0; c < probabilities.size(); c++) {
        expected.add(c);
      }
      expected.sort(
          Comparator.comparing((Integer c) -> probabilities.get(c))
              .reversed()
              .thenComparing(c -> c));
      List<Row> top = row.getList(3);
      assertThat(top).as(name).hasSize(3);
      for (int i = 0; i < 3; i++) {
        int c = expected.get(i);
        assertThat(top.get(i))
            .as(name)
            .isEqualTo(RowFactory.create(c, names.get(c), probabilities.get(c)));
      }
      assertThat(top.get(0).getInt(0)).as(name).isEqualTo(row.getInt(1));
    }
    // More than the model's classes: all of them, one each.
    Row first =
        fixture.classifier().setTopK(25).setTopKCol("best").transform(some).select("best").first();
    assertThat(first.<Row>getList(0).stream().map(r -> r.getString(1)))
        .containsExactlyInAnyOrderElementsOf(names);
    assertThatThrownBy(() -> fixture.classifier().setTopK(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("topK must be at least 0, found -1");
  }
}
