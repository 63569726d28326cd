package dev.lenet.tf;

import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.spec.Dropout;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.spec.Shape;
import dev.lenet.tf.layers.TfDropout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Small specs and synthetic data for backend tests. */
public final class TestNets {

  private TestNets() {}

  /** Every layer kind: strided, padded, multi-channel convolutions, both pools, all activations. */
  public static ModelSpec everyLayer() {
    return ModelSpec.builder()
        .input(2, 9, 8)
        .conv2d(3, 3, 2)
        .padding(1)
        .tanh()
        .maxPool(2, 1)
        .conv2d(4, 3)
        .stride(2)
        .relu()
        .avgPool(2, 1)
        .flatten()
        .dense(5)
        .sigmoid()
        .dense(3)
        .build();
  }

  /**
   * Two runs of convolution, activation and 2x2 average pool that the convolution-stage fast path
   * computes at blocks 4 and 2: two input channels, a non-square kernel, and a convolution before
   * the run, so that the run's input gradient is needed too.
   */
  public static ModelSpec blockedStages() {
    return ModelSpec.builder()
        .input(2, 13, 13)
        .conv2d(2, 2)
        .tanh()
        .conv2d(3, 5)
        .padding(2)
        .sigmoid()
        .avgPool(2, 2)
        .conv2d(4, 3, 5)
        .relu()
        .avgPool(2, 2)
        .flatten()
        .dense(3)
        .build();
  }

  /**
   * Two stages with batch normalization between convolution and activation, which the
   * convolution-stage fast path runs at blocks 4 and 2, normalizing per channel over both towers.
   */
  public static ModelSpec blockedBatchNorm() {
    return ModelSpec.builder()
        .input(2, 12, 12)
        .conv2d(3, 5)
        .padding(2)
        .batchNorm()
        .sigmoid()
        .avgPool(2, 2)
        .conv2d(4, 3)
        .batchNorm()
        .tanh()
        .maxPool(2, 2)
        .flatten()
        .dense(3)
        .build();
  }

  /**
   * The modern variant of LeNet's shape, ReLU and tanh with 2x2 max pools, which the
   * convolution-stage fast path runs at blocks 4 and 2 too.
   */
  public static ModelSpec blockedMaxPools() {
    return ModelSpec.builder()
        .input(1, 12, 12)
        .conv2d(3, 5)
        .padding(2)
        .relu()
        .maxPool(2, 2)
        .conv2d(4, 3)
        .tanh()
        .maxPool(2, 2)
        .flatten()
        .dense(3)
        .build();
  }

  /**
   * LeNet's shape at a small size: a padded 3x3 convolution, sigmoid and 2x2 average pool, twice;
   * each stage runs blocked at block 2 on its own (a 3x3 kernel does not fit block 4).
   */
  public static ModelSpec tilingPools() {
    return ModelSpec.builder()
        .input(1, 8, 8)
        .conv2d(2, 3)
        .padding(1)
        .sigmoid()
        .avgPool(2, 2)
        .conv2d(3, 3)
        .sigmoid()
        .avgPool(2, 2)
        .flatten()
        .dense(4)
        .sigmoid()
        .dense(3)
        .build();
  }

  /**
   * Batch normalization after a convolution (per channel) and after a dense layer (per feature),
   * and dropout on a vector: every tensor kind batch normalization has, and a mask to match.
   */
  public static ModelSpec batchNormAndDropout() {
    return ModelSpec.builder()
        .input(2, 8, 8)
        .conv2d(3, 3)
        .batchNorm()
        .tanh()
        .avgPool(2, 2)
        .flatten()
        .dense(5)
        .batchNorm()
        .sigmoid()
        .dropout(0.4)
        .dense(3)
        .build();
  }

  /**
   * The scaled masks {@link TfDropout} draws for every dropout layer of {@code spec} (vectors only)
   * in training step {@code step} of a batch of {@code order.length}, by layer number: row {@code
   * k} of a step's mask goes to the batch's {@code k}-th example, which is example {@code order[k]}
   * of the data set.
   */
  public static Map<Integer, double[][]> dropoutMasks(
      ModelSpec spec, long seed, long step, int[] order) {
    int batch = order.length;
    Map<Integer, double[][]> out = new java.util.HashMap<>();
    for (var info : spec.layerInfos()) {
      if (!(info.layer() instanceof Dropout d)) {
        continue;
      }
      int features = info.inputShape().dim(0);
      try (Graph g = new Graph();
          Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        var mask =
            TfDropout.mask(
                tf,
                d.rate(),
                info.inputShape(),
                tf.constant(batch),
                tf.constant(new long[] {seed * 1_000_003L + info.number(), step}));
        try (var r = s.runner().fetch(mask).run()) {
          var t = (TFloat32) r.get(0);
          double[][] m = new double[batch][features];
          for (int n = 0; n < batch; n++) {
            for (int i = 0; i < features; i++) {
              m[order[n]][i] = t.getFloat(n, i);
            }
          }
          out.put(info.number(), m);
        }
      }
    }
    return out;
  }

  /** Options that compile every layer on its own (no convolution-stage fast path). */
  public static final TfOptions LAYER_BY_LAYER = TfOptions.defaults().withConvolutionStages(false);

  public static List<String> classes(int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      names.add("c" + i);
    }
    return names;
  }

  /** Random weights in [-scale, scale], API layout. */
  public static Map<String, float[]> randomWeights(ModelSpec spec, long seed, double scale) {
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> out = new LinkedHashMap<>();
    for (var p : dev.lenet.api.spec.ParameterInfo.of(spec)) {
      float[] v = new float[p.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) ((r.nextDouble() * 2 - 1) * scale);
      }
      if (p.name().endsWith(".running_var")) {
        for (int i = 0; i < v.length; i++) {
          v[i] = Math.abs(v[i]) + 0.5f;
        }
      }
      out.put(p.name(), v);
    }
    return out;
  }

  public static Map<String, double[]> toDouble(Map<String, float[]> w) {
    Map<String, double[]> out = new LinkedHashMap<>();
    w.forEach(
        (k, v) -> {
          double[] d = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
          }
          out.put(k, d);
        });
    return out;
  }

  /** Random images with random labels. */
  public static ImageDataset randomImages(String name, Shape shape, int n, int classes, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] pixels = new byte[(int) (n * shape.size())];
    byte[] labels = new byte[n];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) r.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) r.nextInt(classes);
    }
    return new ImageDataset(name, shape, pixels, labels, classes(classes));
  }

  /**
   * A learnable task: 1x12x12 images, 4 classes, class k lights up quadrant k (plus noise). Chance
   * is 25%.
   */
  public static TrainingData quadrants(int train, int test, long seed) {
    return new TrainingData(
        quadrantSet("quadrants train", train, seed), quadrantSet("quadrants test", test, seed + 1));
  }

  private static ImageDataset quadrantSet(String name, int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] pixels = new byte[n * 144];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int k = r.nextInt(4);
      labels[i] = (byte) k;
      for (int y = 0; y < 12; y++) {
        for (int x = 0; x < 12; x++) {
          boolean lit = (y < 6 ? 0 : 2) + (x < 6 ? 0 : 1) == k;
          int v = (lit ? 150 : 0) + r.nextInt(100);
          pixels[i * 144 + y * 12 + x] = (byte) v;
        }
      }
    }
    return new ImageDataset(name, Shape.image(1, 12, 12), pixels, labels, classes(4));
  }

  /** Pixels of a data set as [0, 1] doubles, CHW, image after image. */
  public static double[] pixels(ImageDataset data) {
    double[] out = new double[data.pixelBuffer().capacity()];
    var buf = data.pixelBuffer();
    for (int i = 0; i < out.length; i++) {
      out[i] = (buf.get(i) & 0xFF) / 255.0;
    }
    return out;
  }

  public static int[] labels(ImageDataset data) {
    int[] out = new int[data.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = data.label(i);
    }
    return out;
  }
}
