package dev.lenet.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code Pipeline} holding the classifier saves, loads and classifies as before. */
class PipelineSaveLoadTest extends SharedSparkTest {

  @TempDir static Path dir;

  @Test
  void aPipelineWithTheClassifierSavesLoadsAndGivesTheSameRows() throws IOException {
    Dataset<Row> some = fixture.files().filter("path LIKE '%/00%' OR path LIKE '%notes.txt'");
    LenetClassifier classifier =
        fixture.classifier().setBatchSize(50).setClassNameCol("label_name");
    PipelineModel fitted = new Pipeline().setStages(new PipelineStage[] {classifier}).fit(some);
    String saved = dir.resolve("pipeline").toString();
    fitted.write().overwrite().save(saved);
    PipelineModel loaded = PipelineModel.load(saved);

    LenetClassifier stage = (LenetClassifier) loaded.stages()[0];
    assertThat(stage.uid()).isEqualTo(classifier.uid());
    assertThat(stage.getOrDefault(stage.batchSize())).isEqualTo(50);
    assertThat(stage.getOrDefault(stage.modelPath())).isEqualTo(fixture.model.toString());

    String[] columns = {"prediction", "label_name", "probability", "error"};
    List<Row> before =
        fitted.transform(some).select("path", columns).orderBy("path").collectAsList();
    List<Row> after =
        loaded.transform(some).select("path", columns).orderBy("path").collectAsList();
    assertThat(before).hasSize(1001);
    assertThat(after).isEqualTo(before);
  }
}
