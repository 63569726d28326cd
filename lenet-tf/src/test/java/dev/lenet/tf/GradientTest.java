package dev.lenet.tf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.ParameterInfo;
import dev.lenet.api.train.Initializer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.WeightInit;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gradient TensorFlow applies, recovered from one plain-SGD step ({@code g = (w0 - w1) / lr}),
 * against central finite differences of the reference loss, for every parameter of a net with every
 * layer kind.
 */
class GradientTest {

  @Test
  void oneSgdStepMovesEachWeightByTheFiniteDifferenceGradient() {
    checkOneSgdStep(TestNets.everyLayer());
  }

  /**
   * LeNet's shape of net: padded convolution and average pools whose windows tile the input, each
   * stage computed on blocks ({@link TfBlocked}) and each layer on its own.
   */
  @Test
  void theSameForTilingAveragePools() {
    checkOneSgdStep(TestNets.tilingPools());
    checkOneSgdStep(TestNets.tilingPools(), TestNets.LAYER_BY_LAYER);
  }

  /** Two blocked runs in one net, one of whose input gradients is needed. */
  @Test
  void theSameForBlockedStages() {
    checkOneSgdStep(TestNets.blockedStages());
    checkOneSgdStep(TestNets.blockedStages(), WITHOUT_NATIVE_KERNELS);
  }

  /**
   * lenet's native kernels for the gradient through an average pool and its activation (the sigmoid
   * and ReLU stages of one net, the sigmoid stages of another), for a max pool's gradient and for
   * batch norm's scale, shift and input gradient (a second stage's) move every weight as
   * TensorFlow's own ops do, bit for bit. The tests around check the kernels' path against finite
   * differences: it is the default.
   */
  @Test
  void nativeKernelsMoveEveryWeightAsTensorFlowsOwnOps() {
    for (ModelSpec spec :
        List.of(
            TestNets.blockedStages(),
            TestNets.tilingPools(),
            TestNets.blockedMaxPools(),
            TestNets.blockedBatchNorm())) {
      ImageDataset data = stepData(spec);
      Map<String, float[]> with = xavierStep(spec, data, TfOptions.defaults()).after();
      Map<String, float[]> without = xavierStep(spec, data, WITHOUT_NATIVE_KERNELS).after();
      assertThat(with.keySet()).isEqualTo(without.keySet());
      with.forEach((name, w) -> assertThat(w).as(name).containsExactly(without.get(name)));
    }
  }

  /** Blocked stages with max pools: each window's gradient goes to its largest pixel. */
  @Test
  void theSameForBlockedMaxPools() {
    checkOneSgdStep(TestNets.blockedMaxPools());
    checkOneSgdStep(TestNets.blockedMaxPools(), WITHOUT_NATIVE_KERNELS);
  }

  /**
   * Where a max pool's window holds equal largest pixels (a blank background gives every output
   * pixel the bias alone), the gradient goes to the first, as TensorFlow's MaxPoolGrad gives it:
   * one SGD step moves every weight as the per-layer graph does. Finite differences cannot check
   * this (ties are where the max has no derivative).
   */
  @Test
  void tiedMaximaGetTheGradientAsThePerLayerMaxPoolGivesIt() {
    checkTies(
        ModelSpec.builder()
            .input(1, 12, 12)
            .conv2d(2, 5)
            .padding(2)
            .sigmoid()
            .maxPool(2, 2)
            .conv2d(3, 3)
            .tanh()
            .maxPool(2, 2)
            .flatten()
            .dense(3)
            .build());
  }

  /**
   * The same with ReLU, which the blocked stages apply after the max pool, on the same tie-making
   * images (blank, lit, half lit): ReLU's gradient is zero where a window's max is not positive.
   */
  @Test
  void tiedMaximaUnderReluAsThePerLayerGraph() {
    checkTies(
        ModelSpec.builder()
            .input(1, 12, 12)
            .conv2d(2, 5)
            .padding(2)
            .relu()
            .maxPool(2, 2)
            .conv2d(3, 3)
            .relu()
            .maxPool(2, 2)
            .flatten()
            .dense(3)
            .build());
  }

  private static void checkTies(ModelSpec spec) {
    byte[] pixels = new byte[6 * 144];
    for (int i = 0; i < 144; i++) {
      pixels[144 + i] = (byte) 200; // image 1 lit everywhere, image 0 blank
      pixels[2 * 144 + i] = (byte) (i % 12 < 6 ? 90 : 0); // image 2: left half lit
    }
    ImageDataset data =
        new ImageDataset(
            "ties", spec.input(), pixels, new byte[] {0, 1, 2, 0, 1, 2}, TestNets.classes(3));
    TrainingConfig config = oneStepConfig(data).learningRate(1.0).seed(3).build();
    OneStep blocked = oneStep(spec, data, config);
    OneStep plain = oneStep(spec, data, config, TestNets.LAYER_BY_LAYER);
    blocked
        .after()
        .forEach(
            (name, values) -> {
              float[] expected = plain.after().get(name);
              for (int i = 0; i < values.length; i++) {
                assertThat((double) values[i])
                    .as("%s[%d]", name, i)
                    .isCloseTo(expected[i], within(1e-5));
              }
            });
  }

  /** Batch statistics summed over two towers whatever the cores: batch norm is where they meet. */
  private static final TfOptions TWO_TOWERS = TfOptions.defaults().withTowers(2);

  /** TensorFlow's own ops where lenet's native kernels would run. */
  private static final TfOptions WITHOUT_NATIVE_KERNELS =
      TfOptions.defaults().withNativeKernels(false);

  private static void checkOneSgdStep(ModelSpec spec) {
    checkOneSgdStep(spec, TfOptions.defaults());
  }

  /** The images the SGD-step checks train on: 6 random ones of 3 classes. */
  private static ImageDataset stepData(ModelSpec spec) {
    return TestNets.randomImages("grad", spec.input(), 6, 3, 11);
  }

  /** The plain-SGD step the checks take: learning rate {@link #STEP_LR}, Xavier weights, seed 5. */
  private static OneStep xavierStep(ModelSpec spec, ImageDataset data, TfOptions options) {
    return oneStep(
        spec,
        data,
        oneStepConfig(data)
            .learningRate(STEP_LR)
            .weightInit(WeightInit.XAVIER_UNIFORM)
            .seed(5)
            .build(),
        options);
  }

  private static final double STEP_LR = 1.0;

  private static void checkOneSgdStep(ModelSpec spec, TfOptions options) {
    ImageDataset data = stepData(spec);
    double lr = STEP_LR;
    OneStep step = xavierStep(spec, data, options);
    int checked =
        eachWeight(
            spec,
            data,
            step,
            (name, i, numeric, moved) -> {
              assertThat(-moved / lr)
                  .as("%s[%d]", name, i)
                  .isCloseTo(numeric, within(2e-4 + 2e-2 * Math.abs(numeric)));
              return true;
            });
    assertThat(checked).isEqualTo((int) spec.parameterCount());
  }

  /**
   * Batch normalization of convolution and dense outputs (statistics of the whole batch, which the
   * two towers split) and dropout with the step's mask, on every parameter.
   */
  @Test
  void theSameForBatchNormAndDropout() {
    checkOneSgdStep(TestNets.batchNormAndDropout());
    checkOneSgdStep(TestNets.batchNormAndDropout(), TestNets.LAYER_BY_LAYER);
  }

  /**
   * Blocked stages with batch normalization between convolution and activation: statistics per
   * channel of the blocked layout, over both towers.
   */
  @Test
  void theSameForBlockedStagesWithBatchNorm() {
    checkOneSgdStep(TestNets.blockedBatchNorm(), TWO_TOWERS);
    checkOneSgdStep(TestNets.blockedBatchNorm(), TWO_TOWERS.withNativeKernels(false));
  }

  /**
   * A first stage normalized from its patches that activates after its max pool (its normalized
   * products are not fused with the activation); and a stage after a layer with parameters, which
   * needs its input's gradient and so is normalized from its products.
   */
  @Test
  void theSameForBatchNormStagesWithReluAndAfterAnotherLayer() {
    checkOneSgdStep(
        ModelSpec.builder()
            .input(2, 12, 12)
            .conv2d(3, 5)
            .padding(2)
            .batchNorm()
            .relu()
            .maxPool(2, 2)
            .flatten()
            .dense(3)
            .build(),
        TWO_TOWERS);
    checkOneSgdStep(
        ModelSpec.builder()
            .input(2, 12, 12)
            .conv2d(2, 1)
            .conv2d(3, 5)
            .padding(2)
            .batchNorm()
            .sigmoid()
            .avgPool(2, 2)
            .flatten()
            .dense(3)
            .build(),
        TWO_TOWERS);
  }

  /**
   * After one step the running estimates moved by momentum 0.1 towards the batch's mean and
   * unbiased variance, as the reference computes them from the first layer's outputs.
   */
  @Test
  void oneStepMovesTheRunningStatisticsTowardsTheBatch() {
    ModelSpec spec = TestNets.batchNormAndDropout();
    ImageDataset data = TestNets.randomImages("stats", spec.input(), 6, 3, 13);
    OneStep step = oneStep(spec, data, oneStepConfig(data).seed(4).build());
    Map<String, double[]> w = TestNets.toDouble(step.before());
    double[] images = TestNets.pixels(data);
    int size = (int) spec.input().size();
    LayerInfo first = spec.layerInfos().get(0);
    double[][] conv = new double[6][];
    for (int n = 0; n < 6; n++) {
      conv[n] = ReferenceNet.layer(first, w, Arrays.copyOfRange(images, n * size, (n + 1) * size));
    }
    double[][] stats = ReferenceNet.batchStatistics(conv, first.outputShape());
    int count = 6 * first.outputShape().height() * first.outputShape().width();
    float[] mean = step.after().get("layer2.running_mean");
    float[] var = step.after().get("layer2.running_var");
    for (int c = 0; c < mean.length; c++) {
      assertThat((double) mean[c]).as("mean %d", c).isCloseTo(0.1 * stats[0][c], within(1e-5));
      assertThat((double) var[c])
          .as("var %d", c)
          .isCloseTo(0.9 + 0.1 * stats[1][c] * count / (count - 1), within(1e-5));
    }
  }

  @Test
  void oneAdamStepMovesEachWeightByTheLearningRateAgainstItsGradient() {
    // First Adam step: m = 0.1 g, v = 0.001 g^2, lr_t = lr * sqrt(1 - 0.999) / (1 - 0.9), so
    // w1 = w0 - lr * g / (|g| + eps / sqrt(0.001)): a step of lr against the gradient's sign.
    ModelSpec spec = TestNets.everyLayer();
    ImageDataset data = TestNets.randomImages("adam", spec.input(), 6, 3, 12);
    double lr = 0.001;
    OneStep step =
        oneStep(
            spec,
            data,
            oneStepConfig(data)
                .learningRate(lr)
                .optimizer(dev.lenet.api.train.Optimizer.ADAM)
                .seed(9)
                .build());
    int checked =
        eachWeight(
            spec,
            data,
            step,
            (name, i, g, moved) -> {
              if (Math.abs(g) < 1e-3) {
                return false; // too flat for the finite difference to fix the sign
              }
              assertThat(moved).as("%s[%d]", name, i).isCloseTo(-lr * Math.signum(g), within(2e-5));
              return true;
            });
    assertThat(checked).isGreaterThan(100);
  }

  /** A check of one weight: its finite-difference gradient and how far the step moved it. */
  private interface WeightCheck {
    /** Returns whether the weight was checked. */
    boolean check(String name, int index, double numericGradient, double moved);
  }

  /**
   * Runs {@code check} on every trainable weight of {@code spec}; returns how many it checked. The
   * reference loss is the training one: batch statistics, and the dropout masks of the step.
   */
  private static int eachWeight(
      ModelSpec spec, ImageDataset data, OneStep step, WeightCheck check) {
    Map<String, double[]> w = TestNets.toDouble(step.before());
    double[] images = TestNets.pixels(data);
    int[] labels = TestNets.labels(data);
    int[] order = data.batches(data.size()).shuffledOrder(step.seed(), 1);
    Map<Integer, double[][]> masks = TestNets.dropoutMasks(spec, step.seed(), 0, order);
    int checked = 0;
    for (ParameterInfo p : ParameterInfo.of(spec)) {
      if (!p.trainable()) {
        continue;
      }
      String name = p.name();
      double[] values = w.get(name);
      for (int i = 0; i < values.length; i++) {
        double numeric = numericGradient(spec, w, values, i, images, labels, masks);
        double moved = step.after().get(name)[i] - step.before().get(name)[i];
        if (check.check(name, i, numeric, moved)) {
          checked++;
        }
      }
    }
    return checked;
  }

  /** The central difference of the reference loss in {@code values[i]} (one of {@code w}'s). */
  private static double numericGradient(
      ModelSpec spec,
      Map<String, double[]> w,
      double[] values,
      int i,
      double[] images,
      int[] labels,
      Map<Integer, double[][]> masks) {
    double eps = 1e-5;
    double original = values[i];
    values[i] = original + eps;
    double up = ReferenceNet.meanLoss(spec, w, images, labels, masks);
    values[i] = original - eps;
    double down = ReferenceNet.meanLoss(spec, w, images, labels, masks);
    values[i] = original;
    return (up - down) / (2 * eps);
  }

  /** Weights before and after one training step, with the run's seed. */
  private record OneStep(Map<String, float[]> before, Map<String, float[]> after, long seed) {}

  /** One epoch of one step over every example (so the order does not matter), on one thread. */
  private static TrainingConfig.Builder oneStepConfig(ImageDataset data) {
    return TrainingConfig.builder().epochs(1).batchSize(data.size()).threads(1);
  }

  private static OneStep oneStep(ModelSpec spec, ImageDataset data, TrainingConfig config) {
    return oneStep(spec, data, config, TfOptions.defaults());
  }

  private static OneStep oneStep(
      ModelSpec spec, ImageDataset data, TrainingConfig config, TfOptions options) {
    Map<String, float[]> before = Initializer.initialize(spec, config.weightInit(), config.seed());
    try (TfModel model = new TfTrainer(options).train(spec, new TrainingData(data, data), config)) {
      return new OneStep(before, model.weights(), config.seed());
    }
  }
}
