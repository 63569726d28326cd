package dev.lenet.tf.stages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.spec.LayerInfo;
import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.tf.TestNets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which layers {@link TfStagePlan} takes over, and how it lays out a blocked filter. */
class TfStagePlanTest {

  @Test
  void leNetsFeatureExtractorRunsAsTwoStagesAtBlocksFourAndTwo() {
    List<LayerInfo> layers = LeNet.classic().layerInfos();
    TfStagePlan.Plan plan = TfStagePlan.planAt(layers, 0).orElseThrow();
    assertThat(plan.stages()).extracting(TfStagePlan.Stage::block).containsExactly(4, 2);
    assertThat(plan.layerCount()).isEqualTo(6);
    TfStagePlan.Stage first = plan.stages().get(0);
    // 32x32 padded input in 4x4 blocks: a 2x2 kernel over 16 channels, 7x7 positions of 96.
    assertThat(List.of(first.kernelHeight(), first.height(), first.inChannels()))
        .containsExactly(2, 7, 16);
    assertThat(first.outChannels()).isEqualTo(96);
    TfStagePlan.Stage second = plan.stages().get(1);
    assertThat(List.of(second.kernelHeight(), second.height(), second.inChannels()))
        .containsExactly(3, 5, 24);
    assertThat(TfStagePlan.planAt(layers, 1)).isEmpty();
  }

  @Test
  void stagesTakeTheirBatchNormalization() {
    List<LayerInfo> layers = LeNet.batchNorm().layerInfos();
    TfStagePlan.Plan plan = TfStagePlan.planAt(layers, 0).orElseThrow();
    assertThat(plan.stages()).extracting(TfStagePlan.Stage::block).containsExactly(4, 2);
    assertThat(plan.stages()).extracting(s -> s.norm().number()).containsExactly(2, 6);
    assertThat(plan.layerCount()).isEqualTo(8);
    assertThat(TfStagePlan.describe(plan)).isEqualTo("layers 1-8 as 2 stages (blocks 4, 2)");
    assertThat(
            TfStagePlan.planAt(TestNets.blockedBatchNorm().layerInfos(), 0).orElseThrow().stages())
        .extracting(TfStagePlan.Stage::layerCount)
        .containsExactly(4, 4);
  }

  @Test
  void maxPoolStagesRunBlockedToo() {
    TfStagePlan.Plan plan =
        TfStagePlan.planAt(TestNets.blockedMaxPools().layerInfos(), 0).orElseThrow();
    assertThat(plan.stages()).extracting(TfStagePlan.Stage::block).containsExactly(4, 2);
    assertThat(plan.stages()).noneMatch(TfStagePlan.Stage::averages);
    assertThat(TfStagePlan.planAt(LeNet.classic().layerInfos(), 0).orElseThrow().stages())
        .allMatch(TfStagePlan.Stage::averages);
  }

  @Test
  void layersThatDoNotFitStayOnTheirOwn() {
    List<LayerInfo> layers = TestNets.everyLayer().layerInfos();
    for (int i = 0; i < layers.size(); i++) {
      assertThat(TfStagePlan.planAt(layers, i)).as("layer index %d", i).isEmpty();
    }
    // An even kernel does not span whole blocks past its first pixel.
    assertThat(TfStagePlan.planAt(oneStage(9, 9, 2, 2), 0)).isEmpty();
    // An odd output height does not tile into 2x2 blocks.
    assertThat(TfStagePlan.planAt(oneStage(7, 8, 2, 3), 0)).isEmpty();
  }

  @Test
  void aRunIsShortenedUntilEveryStageFitsItsBlock() {
    // Both stages together would run the first at block 4, which a 3x3 kernel does not fit: the
    // first runs alone at block 2, and the second starts a run of its own.
    List<LayerInfo> layers = TestNets.tilingPools().layerInfos();
    TfStagePlan.Plan first = TfStagePlan.planAt(layers, 0).orElseThrow();
    assertThat(first.stages()).extracting(TfStagePlan.Stage::block).containsExactly(2);
    assertThat(first.layerCount()).isEqualTo(3);
    assertThat(TfStagePlan.planAt(layers, 3).orElseThrow().stages())
        .extracting(TfStagePlan.Stage::block)
        .containsExactly(2);
  }

  @Test
  void aRunAfterAPlainLayerStartsWhereItsStagesDo() {
    List<LayerInfo> layers = TestNets.blockedStages().layerInfos();
    assertThat(TfStagePlan.planAt(layers, 0)).isEmpty();
    assertThat(TfStagePlan.planAt(layers, 2).orElseThrow().stages())
        .extracting(TfStagePlan.Stage::block)
        .containsExactly(4, 2);
  }

  @Test
  void blockedFilterHoldsTheKernelWhereItReachesAndZeroElsewhere() {
    // One 3x3 filter at block 2: [2, 2, 4, 4]; input channel (dy*2 + dx), output channel
    // (ry*2 + rx) for the four output pixels of a block (Q = 1).
    TfStagePlan.Stage stage =
        TfStagePlan.planAt(oneStage(6, 6, 1, 3), 0).orElseThrow().stages().get(0);
    int[] index = TfStagePlan.filterIndex(stage);
    assertThat(index).hasSize(2 * 2 * 4 * 4);
    // Output pixel (0, 0) reads input pixel (1, 1) of the same block through w[1][1].
    assertThat(index[((0 * 2 + 0) * 4 + 3) * 4 + 0]).isEqualTo(1 * 3 + 1);
    // Output pixel (1, 1) reads pixel (0, 0) of the diagonal neighbour block through w[1][1].
    assertThat(index[((1 * 2 + 1) * 4 + 0) * 4 + 3]).isEqualTo(1 * 3 + 1);
    // Output pixel (1, 1) never reads pixel (0, 0) of its own block: a zero (index 9).
    assertThat(index[((0 * 2 + 0) * 4 + 0) * 4 + 3]).isEqualTo(9);
    // Every weight appears once per output pixel of a block: 4 times.
    int[] uses = new int[10];
    for (int i : index) {
      uses[i]++;
    }
    for (int k = 0; k < 9; k++) {
      assertThat(uses[k]).as("w[%d]", k).isEqualTo(4);
    }
  }

  /** One-channel {@code height x width} images, one convolution, sigmoid, 2x2 average pool. */
  private static List<LayerInfo> oneStage(int height, int width, int filters, int kernel) {
    return ModelSpec.builder()
        .input(1, height, width)
        .conv2d(filters, kernel)
        .sigmoid()
        .avgPool(2, 2)
        .flatten()
        .dense(2)
        .build()
        .layerInfos();
  }
}
