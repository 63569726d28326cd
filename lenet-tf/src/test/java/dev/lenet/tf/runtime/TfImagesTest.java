package dev.lenet.tf.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.Pixels;
import dev.lenet.api.spec.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

class TfImagesTest {

  /**
   * The graph's conversion of fed bytes, the API's batches and {@link Pixels} agree bit for bit for
   * every byte value: training sees what a batch or a read image gets. (Batches used to divide by
   * 255f while the graph multiplied by 1f/255f: byte 3 and 125 others differed in the last bit.)
   */
  @Test
  void fedBytesBecomeExactlyTheFloatsOfBatchesAndPixels() {
    byte[] every = new byte[Pixels.LEVELS];
    for (int b = 0; b < every.length; b++) {
      every[b] = (byte) b;
    }
    Shape shape = Shape.image(1, 16, 16);
    float[] batch =
        new ImageDataset("every byte", shape, every, new byte[1], List.of("only"))
            .batches(1)
            .inOrder()
            .iterator()
            .next()
            .images();
    float[] graph = new float[Pixels.LEVELS];
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      // Fed, as training feeds them, not a constant that TensorFlow would fold away.
      var bytes = tf.placeholder(TUint8.class);
      var floats = TfImages.fromBytes(tf, bytes, shape);
      try (Session session = new Session(g);
          TUint8 fed =
              TUint8.tensorOf(
                  org.tensorflow.ndarray.Shape.of(1, Pixels.LEVELS),
                  DataBuffers.of(every, true, false));
          Result r = session.runner().feed(bytes, fed).fetch(floats).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(graph, false, false));
      }
    }
    for (int b = 0; b < Pixels.LEVELS; b++) {
      int bits = Float.floatToRawIntBits(Pixels.toUnit(b));
      assertThat(Float.floatToRawIntBits(graph[b])).as("graph, byte %d", b).isEqualTo(bits);
      assertThat(Float.floatToRawIntBits(batch[b])).as("batch, byte %d", b).isEqualTo(bits);
    }
  }
}
