package dev.lenet.api.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.Batch;
import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.RealData;
import java.io.ByteArrayInputStream;
import org.junit.jupiter.api.Test;

/**
 * The exactness test: each of the 10,000 Fashion-MNIST test images, written as an 8-bit
 * gray 28x28 PNG, reads back as exactly the floats that training feeds for its bytes.
 */
class FashionMnistPngTest {

  @Test
  void everyTestImageAsAGrayPngReadsBackAsTheTrainingFloats() {
    ImageDataset test = FashionMnist.loader().directory(RealData.fashionMnist()).load().test();
    int size = (int) test.imageShape().size();
    Batch all = test.batches(test.size()).inOrder().iterator().next();
    float[] trained = all.images();
    ImageReader reader = ImageReader.standard();
    int differing = 0;
    for (int i = 0; i < test.size(); i++) {
      byte[] bytes = new byte[size];
      test.pixelBuffer().get(i * size, bytes);
      byte[] png = TestImages.encode(TestImages.gray8(bytes, 28, 28), "png");
      float[] read =
          reader.read(new ByteArrayInputStream(png), "test[" + i + "]", test.imageShape());
      for (int k = 0; k < size; k++) {
        if (Float.floatToRawIntBits(read[k]) != Float.floatToRawIntBits(trained[i * size + k])) {
          differing++;
          break;
        }
      }
    }
    assertThat(differing).as("images whose floats differ").isZero();
  }
}
