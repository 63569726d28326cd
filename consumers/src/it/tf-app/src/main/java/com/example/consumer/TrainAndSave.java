package com.example.consumer;

import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.spec.ModelSpec;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.Prediction;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.TfTrainer;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;

/**
 * Step 1 of the lenet-tf consumer: writes a small Fashion-MNIST-shaped data set as IDX files
 * (class k lights rows 2k to 2k+5), trains the book's LeNet on it, saves the model, and writes a
 * PNG of class {@link #CLASS} with the in-memory model's prediction for step 2 to compare.
 */
public final class TrainAndSave {

  static final int CLASS = 3;
  static final int EPOCHS = 10;

  public static void main(String[] args) throws IOException {
    Path work = Path.of(args[0]);
    Path data = work.resolve("data");
    Files.createDirectories(data);
    Random random = new Random(1);
    writeIdx(data, "train", 512, random);
    writeIdx(data, "t10k", 256, random);

    ModelSpec lenet =
        ModelSpec.builder() // the book's LeNet, as README.md writes it
            .input(1, 28, 28)
            .conv2d(6, 5).padding(2).sigmoid()
            .avgPool(2, 2)
            .conv2d(16, 5).sigmoid()
            .avgPool(2, 2)
            .flatten()
            .dense(120).sigmoid()
            .dense(84).sigmoid()
            .dense(10)
            .build();
    TrainingData set = FashionMnist.load(data);
    // The book's SGD at lr 0.9 needs thousands of steps before sigmoids move: Adam gets there in 160.
    TrainingConfig config =
        TrainingConfig.builder()
            .epochs(EPOCHS)
            .batchSize(32)
            .optimizer(Optimizer.ADAM)
            .learningRate(0.003)
            .threads(2)
            .build();
    Path png = work.resolve("class-" + CLASS + ".png");
    ImageIO.write(image(CLASS), "png", png.toFile());
    try (TfModel model = new TfTrainer().train(lenet, set, config)) {
      check(model.history().size() == EPOCHS, "history has " + model.history().size() + " epochs");
      double accuracy = model.evaluate(set.test()).accuracy();
      System.out.printf("test accuracy %.3f after %d epochs%n", accuracy, EPOCHS);
      check(accuracy > 0.9, "test accuracy " + accuracy + " <= 0.9");
      model.save(work.resolve("model"));
      Prediction p = model.predict(ImageReader.standard().read(png, lenet.input()));
      check(p.predictedClass() == CLASS, png + " predicted as class " + p.predictedClass());
      Files.writeString(
          work.resolve("expected.txt"),
          p.probabilities().stream().map(String::valueOf).collect(Collectors.joining(" ")));
    }
  }

  /** A clean image of class {@code k}: rows 2k to 2k+5 bright on dark gray. */
  static BufferedImage image(int k) {
    BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 28; y++) {
      for (int x = 0; x < 28; x++) {
        boolean lit = y >= 2 * k && y < 2 * k + 6;
        image.getRaster().setSample(x, y, 0, lit ? 205 : 45); // the training images' means
      }
    }
    return image;
  }

  private static void writeIdx(Path dir, String prefix, int n, Random random) throws IOException {
    byte[] images = new byte[n * 784];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      int k = random.nextInt(10);
      labels[i] = (byte) k;
      for (int p = 0; p < 784; p++) {
        boolean lit = p / 28 >= 2 * k && p / 28 < 2 * k + 6;
        images[i * 784 + p] = (byte) ((lit ? 160 : 0) + random.nextInt(90));
      }
    }
    write(dir.resolve(prefix + "-images-idx3-ubyte"), images, n, 28, 28);
    write(dir.resolve(prefix + "-labels-idx1-ubyte"), labels, n);
  }

  private static void write(Path file, byte[] data, int... dims) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(4 + 4 * dims.length);
    header.put((byte) 0).put((byte) 0).put((byte) 0x08).put((byte) dims.length);
    for (int d : dims) {
      header.putInt(d);
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(header.array());
      out.write(data);
    }
  }

  static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }
}
