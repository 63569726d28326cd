package dev.lenet.benchmarks;

import dev.lenet.api.data.Batch;
import dev.lenet.api.data.Batches;
import dev.lenet.api.data.IdxArray;
import dev.lenet.api.data.IdxReader;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.MnistFiles;
import dev.lenet.api.data.MnistVariant;
import dev.lenet.api.data.TrainingData;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The IDX reader and batching. Files come from {@code -Dlenet.data=DIR} (the real Fashion-MNIST)
 * or, by default, a synthetic Fashion-MNIST-sized set written to a temporary directory.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataBenchmarks {

  private Path dir;
  private boolean temporary;
  private ImageDataset train;
  private Batches batches;
  private int[] order;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String given = System.getProperty("lenet.data");
    if (given != null) {
      dir = Path.of(given);
    } else {
      dir = Files.createTempDirectory("lenet-jmh");
      temporary = true;
      writeSynthetic(dir, 60_000, "train");
      writeSynthetic(dir, 10_000, "t10k");
    }
    train = MnistFiles.read(dir, MnistVariant.FASHION_MNIST).train();
    batches = train.batches(Batches.DEFAULT_BATCH_SIZE);
    order = batches.shuffledOrder(0, 1);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    if (temporary) {
      try (var files = Files.list(dir)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** Reading and inflating the 47 MB training-images file. */
  @Benchmark
  public IdxArray readTrainImages() {
    return IdxReader.read(MnistFiles.find(dir, MnistFiles.TRAIN_IMAGES).orElseThrow());
  }

  /** All four files into a checked training and test set (the images on two threads). */
  @Benchmark
  public TrainingData readAllFour() {
    return MnistFiles.read(dir, MnistVariant.FASHION_MNIST);
  }

  /** One epoch's shuffle of 60,000 indices. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int[] shuffleEpoch() {
    return batches.shuffledOrder(0, 7);
  }

  /** One batch of 256 images scaled to floats in [0, 1], as a pure-Java consumer sees it. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public Batch floatBatch() {
    return batches.shuffled(0, 1).iterator().next();
  }

  /** One batch of 256 images gathered as bytes, as the TensorFlow backend feeds them. */
  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte[] byteBatch() {
    int size = (int) train.imageShape().size();
    byte[] out = new byte[256 * size];
    ByteBuffer pixels = train.pixelBuffer();
    for (int i = 0; i < 256; i++) {
      pixels.get(order[i] * size, out, i * size, size);
    }
    return out;
  }

  private static void writeSynthetic(Path dir, int n, String prefix) throws IOException {
    Random random = new Random(1);
    byte[] pixels = new byte[n * 784];
    for (int i = 0; i < pixels.length; i++) {
      // Mostly dark with bright strokes, so that gzip works about as hard as on real images.
      pixels[i] = (byte) (random.nextInt(4) == 0 ? random.nextInt(256) : 0);
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) random.nextInt(10);
    }
    write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), new int[] {n, 28, 28}, pixels);
    write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), new int[] {n}, labels);
  }

  private static void write(Path file, int[] dims, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
    header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      header.putInt(d);
    }
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
      out.write(header.array());
      out.write(data);
    }
  }
}
