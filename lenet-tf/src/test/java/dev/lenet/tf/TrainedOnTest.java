package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.MnistFiles;
import dev.lenet.api.data.MnistVariant;
import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Evaluation;
import dev.lenet.api.train.TrainingConfig;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model records the data set it was trained on (from {@link TrainingData#identity()}) in its
 * model.json; models without the record (lenet 0.1.0's, or trained on data built in memory) still
 * load and evaluate; evaluation refuses data with another image shape or number of classes.
 */
class TrainedOnTest {

  @TempDir Path tmp;

  private static final TrainingConfig ONE_EPOCH =
      TrainingConfig.builder().epochs(1).batchSize(32).threads(1).build();

  @Test
  void aModelKeepsTheIdentityOfItsDataThroughSaveAndLoad() throws IOException {
    TrainingData data = FashionMnist.load(SyntheticData.write(tmp.resolve("data"), 64, 16));
    DataIdentity identity = data.identity();
    assertThat(identity.sha256()).hasSize(4);
    Path dir = tmp.resolve("model");
    try (TfModel model = new TfTrainer().train(LeNet.classic(), data, ONE_EPOCH)) {
      assertThat(model.trainedOn()).contains(identity);
      model.save(dir);
    }
    try (TfModel loaded = TfModel.load(dir)) {
      assertThat(loaded.trainedOn()).contains(identity);
    }
  }

  @Test
  void dataBuiltInMemoryLeavesNoRecord() throws IOException {
    TrainingData data = TestNets.quadrants(64, 16, 1);
    Path dir = tmp.resolve("model");
    ModelSpec spec = ModelSpec.builder().input(1, 12, 12).flatten().dense(4).build();
    try (TfModel model = new TfTrainer().train(spec, data, ONE_EPOCH)) {
      assertThat(model.trainedOn()).isEmpty();
      model.save(dir);
    }
    try (TfModel loaded = TfModel.load(dir)) {
      assertThat(loaded.trainedOn()).isEmpty();
    }
  }

  @Test
  void aModelSavedByVersion010LoadsWithoutARecordAndEvaluates() throws URISyntaxException {
    Path compat = Path.of(getClass().getResource("/compat/v0.1.0/README.md").toURI()).getParent();
    ImageDataset test = MnistFiles.read(compat.resolve("data"), MnistVariant.FASHION_MNIST).test();
    try (TfModel model = TfModel.load(compat.resolve("run/model"))) {
      assertThat(model.trainedOn()).isEmpty();
      Evaluation eval = model.evaluate(test);
      assertThat(eval.total()).isEqualTo(128);
    }
  }

  @Test
  void evaluationRefusesAnotherNumberOfClassesOrImageShape() {
    ModelSpec spec = ModelSpec.builder().input(1, 12, 12).flatten().dense(4).build();
    try (TfModel model =
        TfModel.fromWeights(spec, TestNets.randomWeights(spec, 1, 0.1), TestNets.classes(4))) {
      ImageDataset tenClasses = TestNets.randomImages("ten", Shape.image(1, 12, 12), 8, 10, 1);
      assertThatThrownBy(() -> model.evaluate(tenClasses))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("the model tells 4 classes apart but ten has 10 (");
      ImageDataset bigger = TestNets.randomImages("big", Shape.image(1, 28, 28), 8, 4, 1);
      assertThatThrownBy(() -> model.evaluate(bigger))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the model takes")
          .hasMessageContaining("big holds");
    }
  }
}
