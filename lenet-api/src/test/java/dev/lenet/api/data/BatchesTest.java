package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lenet.api.spec.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

  static ImageDataset tiny(int n) {
    byte[] pixels = new byte[n * 4];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 3);
      for (int k = 0; k < 4; k++) {
        pixels[i * 4 + k] = (byte) (i * 4 + k);
      }
    }
    return new ImageDataset("tiny", Shape.image(1, 2, 2), pixels, labels, List.of("a", "b", "c"));
  }

  @Test
  void lastPartialBatchIsKept() {
    Batches batches = tiny(10).batches(4);
    assertThat(batches.count()).isEqualTo(3);
    List<Integer> sizes = new ArrayList<>();
    batches.inOrder().forEach(b -> sizes.add(b.size()));
    assertThat(sizes).containsExactly(4, 4, 2);
  }

  @Test
  void shuffleIsAPermutationFixedBySeedAndEpoch() {
    Batches batches = tiny(100).batches(16);
    int[] a = batches.shuffledOrder(7, 1);
    assertThat(a).isEqualTo(batches.shuffledOrder(7, 1));
    assertThat(a).isNotEqualTo(batches.shuffledOrder(7, 2));
    assertThat(a).isNotEqualTo(batches.shuffledOrder(8, 1));
    int[] sorted = a.clone();
    Arrays.sort(sorted);
    for (int i = 0; i < sorted.length; i++) {
      assertThat(sorted[i]).isEqualTo(i);
    }
  }

  @Test
  void pixelsAreScaledToUnitRangeAndLabelsFollowTheirImages() {
    ImageDataset data = tiny(5);
    Batch batch = data.batches(5).shuffled(3, 1).iterator().next();
    for (int b = 0; b < batch.size(); b++) {
      int i = batch.indices()[b];
      assertThat(batch.labels()[b]).isEqualTo(i % 3);
      for (int k = 0; k < 4; k++) {
        assertThat(batch.images()[b * 4 + k]).isCloseTo((i * 4 + k) / 255f, within(1e-7f));
      }
    }
  }

  @Test
  void copyImagesGathersRawBytesInOrder() {
    ImageDataset data = tiny(6);
    byte[] out = new byte[8];
    data.copyImages(new int[] {5, 2, 0}, 1, 2, out);
    assertThat(out).containsExactly(8, 9, 10, 11, 0, 1, 2, 3);
  }

  @Test
  void sliceAndClassCounts() {
    ImageDataset data = tiny(10);
    assertThat(data.classCounts()).containsExactly(4, 3, 3);
    ImageDataset part = data.slice(2, 5);
    assertThat(part.size()).isEqualTo(3);
    assertThat(part.label(0)).isEqualTo(2);
    assertThat(part.pixel(0, 1)).isEqualTo(9);
  }
}
