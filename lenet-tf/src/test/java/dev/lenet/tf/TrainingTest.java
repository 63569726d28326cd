package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.Device;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.Evaluation;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.Trainers;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingException;
import dev.lenet.api.train.TrainingListener;
import dev.lenet.api.train.WeightInit;
import dev.lenet.tf.runtime.TfDevices;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class TrainingTest {

  static final TrainingData QUADRANTS = TestNets.quadrants(1200, 400, 1);

  static ModelSpec smallNet() {
    return smallNet(4);
  }

  /** A small ReLU network for the 12x12 quadrant task, {@code filters} in its convolution. */
  static ModelSpec smallNet(int filters) {
    return ModelSpec.builder()
        .input(1, 12, 12)
        .conv2d(filters, 3)
        .relu()
        .maxPool(2, 2)
        .flatten()
        .dense(16)
        .relu()
        .dense(4)
        .build();
  }

  /** {@link #smallNet()} with batch normalization after both layers and dropout 0.5. */
  static ModelSpec normalizedNet() {
    return ModelSpec.builder()
        .input(1, 12, 12)
        .conv2d(4, 3)
        .batchNorm()
        .relu()
        .maxPool(2, 2)
        .flatten()
        .dense(16)
        .batchNorm()
        .relu()
        .dropout(0.5)
        .dense(4)
        .build();
  }

  static TrainingConfig.Builder quick() {
    return TrainingConfig.builder()
        .epochs(3)
        .batchSize(32)
        .learningRate(0.1)
        .weightInit(WeightInit.HE_NORMAL)
        .device(Device.CPU)
        .seed(3);
  }

  @Test
  void learnsASyntheticTaskAndReportsEveryBatchAndEpoch() {
    List<BatchProgress> batches = new ArrayList<>();
    List<EpochMetrics> epochs = new ArrayList<>();
    Device[] started = new Device[1];
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onStart(TrainingConfig config, ExecutionPlan plan) {
            started[0] = plan.device();
          }

          @Override
          public void onBatch(BatchProgress progress) {
            batches.add(progress);
          }

          @Override
          public void onEpoch(EpochMetrics metrics) {
            epochs.add(metrics);
          }
        };
    try (TfModel model = new TfTrainer().train(smallNet(), QUADRANTS, quick().build(), listener)) {
      assertThat(started[0]).isEqualTo(Device.CPU);
      assertThat(model.device()).isEqualTo(Device.CPU);
      assertThat(epochs).hasSize(3).isEqualTo(model.history());
      assertThat(batches).hasSize(3 * 38); // 1200 / 32 = 37.5: the last partial batch is kept
      BatchProgress last = batches.get(batches.size() - 1);
      assertThat(last.examples()).isEqualTo(1200);
      assertThat(last.batches()).isEqualTo(38);
      assertThat(last.meanLoss()).isCloseTo(epochs.get(2).trainLoss(), within(1e-9));

      assertThat(epochs.get(2).trainLoss()).isLessThan(epochs.get(0).trainLoss() * 0.5);
      assertThat(epochs.get(2).trainAccuracy()).isGreaterThan(0.9);
      assertThat(epochs.get(2).testAccuracy()).isGreaterThan(0.9);
      assertThat(epochs.get(0).examplesPerSecond()).isPositive();

      // evaluate() through the serving path agrees with the in-graph test accuracy.
      Evaluation eval = model.evaluate(QUADRANTS.test());
      assertThat(eval.accuracy()).isCloseTo(epochs.get(2).testAccuracy(), within(1e-9));
      assertThat(eval.total()).isEqualTo(400);
    }
  }

  @Test
  void momentumAndAdamTrainToo() {
    for (Optimizer optimizer : new Optimizer[] {Optimizer.MOMENTUM, Optimizer.ADAM}) {
      double lr = optimizer == Optimizer.ADAM ? 0.01 : 0.05;
      try (TfModel model =
          new TfTrainer()
              .train(
                  smallNet(), QUADRANTS, quick().optimizer(optimizer).learningRate(lr).build())) {
        assertThat(model.history().get(2).testAccuracy()).as(optimizer.name()).isGreaterThan(0.9);
      }
    }
  }

  @Test
  void oneThreadRunsAreReproducible() {
    TrainingConfig config = quick().epochs(2).threads(1).build();
    Map<String, float[]> first;
    List<EpochMetrics> firstHistory;
    try (TfModel a = new TfTrainer().train(smallNet(), QUADRANTS, config)) {
      first = a.weights();
      firstHistory = a.history();
    }
    try (TfModel b = new TfTrainer().train(smallNet(), QUADRANTS, config)) {
      Map<String, float[]> second = b.weights();
      first.forEach((name, w) -> assertThat(second.get(name)).as(name).containsExactly(w));
      for (int e = 0; e < 2; e++) {
        assertThat(b.history().get(e).trainLoss()).isEqualTo(firstHistory.get(e).trainLoss());
        assertThat(b.history().get(e).testAccuracy()).isEqualTo(firstHistory.get(e).testAccuracy());
      }
    }
  }

  @Test
  void aDivergingLossStopsWithTheEpochAndBatch() {
    assertThatThrownBy(
            () ->
                new TfTrainer()
                    .train(smallNet(), QUADRANTS, quick().learningRate(1e30).build())
                    .close())
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining("training diverged")
        .hasMessageMatching("(?s).*epoch 1, batch \\d+ of 38.*")
        .hasMessageContaining("try a smaller learning rate");
  }

  @Test
  void aGpuRequestWithoutAGpuSaysHowToGetOne() {
    assertThatThrownBy(
            () -> new TfTrainer().train(smallNet(), QUADRANTS, quick().device(Device.GPU).build()))
        .isInstanceOf(TrainingException.class)
        .hasMessageContaining(
            TfDevices.GPU_BUILD
                ? "gpu:0 was requested but TensorFlow found no usable GPU"
                : "gpu:0 was requested but TensorFlow sees no such GPU")
        .hasMessageContaining("CUDA 12")
        .hasMessageContaining("cuDNN 9")
        .hasMessageContaining(TfDevices.GPU_BUILD ? "This is a GPU build" : "-Pgpu");
  }

  @Test
  void autoPicksTheCpuHere() {
    try (TfModel model =
        new TfTrainer()
            .train(smallNet(), QUADRANTS, quick().epochs(1).device(Device.AUTO).build())) {
      assertThat(model.device()).isEqualTo(Device.CPU);
    }
  }

  @Test
  void specAndDataMustFit() {
    ModelSpec wrongInput = ModelSpec.builder().input(1, 28, 28).flatten().dense(4).build();
    assertThatThrownBy(() -> new TfTrainer().train(wrongInput, QUADRANTS, quick().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("takes 1x28x28 images but quadrants train holds 1x12x12");
    ModelSpec wrongClasses = ModelSpec.builder().input(1, 12, 12).flatten().dense(10).build();
    assertThatThrownBy(() -> new TfTrainer().train(wrongClasses, QUADRANTS, quick().build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "quadrants train has 4 classes but the model's last layer outputs 10");
  }

  @Test
  void predictionsAreConsistentAcrossThreadsAndBatchSizes() throws Exception {
    try (TfModel model = new TfTrainer().train(smallNet(), QUADRANTS, quick().epochs(1).build())) {
      int n = 50;
      float[] images = new float[n * 144];
      var batch = QUADRANTS.test().batches(n).inOrder().iterator().next();
      System.arraycopy(batch.images(), 0, images, 0, images.length);
      List<Prediction> together = model.predict(images, n);
      Prediction alone = model.predict(java.util.Arrays.copyOfRange(images, 144 * 7, 144 * 8));
      assertThat(alone.predictedClass()).isEqualTo(together.get(7).predictedClass());
      for (int c = 0; c < 4; c++) {
        assertThat(alone.probabilities().get(c))
            .isCloseTo(together.get(7).probabilities().get(c), within(1e-6f));
      }
      double sum = together.get(0).probabilities().stream().mapToDouble(Float::doubleValue).sum();
      assertThat(sum).isCloseTo(1.0, within(1e-5));

      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<List<Prediction>>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          futures.add(pool.submit(() -> model.predict(images, n)));
        }
        for (Future<List<Prediction>> f : futures) {
          assertThat(f.get()).isEqualTo(together);
        }
      } finally {
        pool.shutdown();
      }
      assertThatThrownBy(() -> model.predict(new float[10], 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected 1 images of 1x12x12 = 144 floats, found 10");
    }
  }

  @Test
  void aClosedModelRefusesWork() {
    TfModel model = new TfTrainer().train(smallNet(), QUADRANTS, quick().epochs(1).build());
    model.close();
    model.close(); // idempotent
    assertThatThrownBy(() -> model.predict(new float[144]))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("the model is closed");
  }

  @Test
  void theBackendIsFoundThroughServiceLoader() {
    assertThat(Trainers.find()).isInstanceOf(TfTrainer.class);
    assertThat(Trainers.find().name()).isEqualTo("tensorflow");
  }
}
