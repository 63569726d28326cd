package dev.lenet.serve;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.data.FashionMnist;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.spec.Shape;
import dev.lenet.benchmarks.ServeLoad;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The JSON work of one single-image {@code :predict} request, without HTTP or the model: reading
 * the body (the tree reader lenet-serve used before, and the streaming reader it uses now, with and
 * without Jackson's fast double parser) and writing the answer (a tree, and the generator). Bodies
 * are real Fashion-MNIST test images in the row format, as bench/serve-load sends them (up to about
 * 10 kB each). Prints microseconds per request for each, measured in interleaved rounds.
 *
 * <p>In this package for the server's package-private readers. Usage: {@code PredictJsonBench
 * [--data DIR] [--seconds 2] [--rounds 3]}
 */
public final class PredictJsonBench {

  private static long sink;

  /** One request's work on body {@code i}; something computed from the result. */
  private interface Work {
    long run(int i) throws Exception;
  }

  private PredictJsonBench() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of("/usr/share/datasets/fashion-mnist");
    double seconds = 2;
    int rounds = 3;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--data" -> data = Path.of(args[i + 1]);
        case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
        case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    ImageDataset test = FashionMnist.load(data).test();
    List<byte[]> bodies = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      bodies.add(ServeLoad.instancesBody(test, i).getBytes(StandardCharsets.UTF_8));
    }
    Shape shape = Shape.image(1, 28, 28);
    ObjectMapper json = LenetServer.jsonMapper();
    ObjectMapper fast =
        ((JsonMapper) LenetServer.jsonMapper())
            .rebuild()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    PredictBody bodiesRead = new PredictBody(json);
    ImageTensors tensors = new ImageTensors(shape, bodiesRead.nodes());
    PredictBody fastRead = new PredictBody(fast);
    ImageTensors fastTensors = new ImageTensors(shape, fastRead.nodes());
    Random random = new Random(1);
    float[][] logits = new float[1][10];
    float[][] probabilities = new float[1][10];
    for (int c = 0; c < 10; c++) {
      logits[0][c] = (float) random.nextGaussian() * 10;
      probabilities[0][c] = random.nextFloat();
    }

    List<String> names =
        List.of(
            "read: tree only (readTree)",
            "read: tree, then checked and copied (before)",
            "read: streaming into floats (after)",
            "read: streaming, fast double parser",
            "write: tree, writeValueAsBytes (before)",
            "write: generator to bytes (after)");
    List<Work> work =
        List.of(
            i -> json.readTree(bodies.get(i)).size(),
            i -> treeCopy(json.readTree(bodies.get(i)), shape),
            i -> bodiesRead.read(bodies.get(i), tensors).batch().count(),
            i -> fastRead.read(bodies.get(i), fastTensors).batch().count(),
            i -> json.writeValueAsBytes(treeAnswer(json, logits[0], probabilities[0])).length,
            i -> PredictAnswer.write(json, true, 1, k -> logits[0], k -> probabilities[0]).length);
    double[][] micros = new double[names.size()][rounds];
    for (int r = -1; r < rounds; r++) { // round -1 warms up
      for (int k = 0; k < names.size(); k++) {
        double us = time(work.get(k), bodies.size(), r < 0 ? 1 : seconds);
        if (r >= 0) {
          micros[k][r] = us;
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%d bodies of ~%d bytes; us per request, %d rounds:%n",
        1000,
        bodies.get(0).length,
        rounds);
    for (int k = 0; k < names.size(); k++) {
      double[] m = micros[k].clone();
      java.util.Arrays.sort(m);
      System.out.printf(
          Locale.ROOT,
          "%-48s median %7.1f  (min %.1f, max %.1f)%n",
          names.get(k),
          m[m.length / 2],
          m[0],
          m[m.length - 1]);
    }
    System.out.println("(checksum " + sink + ")");
  }

  private static double time(Work work, int n, double seconds) throws Exception {
    long end = System.nanoTime() + (long) (seconds * 1e9);
    long start = System.nanoTime();
    long ops = 0;
    long sum = 0;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 100; i++) {
        sum += work.run((int) (ops++ % n));
      }
    }
    sink += sum;
    return (System.nanoTime() - start) / 1e3 / ops;
  }

  /** The checks and the copy the tree reader made (one message prefix built per pixel). */
  private static long treeCopy(JsonNode body, Shape shape) {
    JsonNode image = body.get("instances").get(0);
    int h = shape.height();
    int w = shape.width();
    int c = shape.channels();
    float[] out = new float[h * w * c];
    String where = "instance 0";
    long built = 0;
    for (int y = 0; y < h; y++) {
      JsonNode row = image.get(y);
      check(row, w);
      for (int x = 0; x < w; x++) {
        JsonNode pixel = row.get(x);
        check(pixel, c);
        for (int ch = 0; ch < c; ch++) {
          JsonNode v = pixel.get(ch);
          String at = where + " pixel [" + y + "][" + x + "][" + ch + "]";
          built += at.length();
          double d = v.doubleValue();
          if (!v.isNumber() || !Double.isFinite(d) || d < 0 || d > 1) {
            throw new IllegalStateException(at);
          }
          out[(y * w + x) * c + ch] = (float) d;
        }
      }
    }
    return built + out.length;
  }

  private static void check(JsonNode node, int size) {
    if (!node.isArray() || node.size() != size) {
      throw new IllegalStateException("shape");
    }
  }

  private static ObjectNode treeAnswer(ObjectMapper json, float[] logits, float[] probabilities) {
    ObjectNode root = json.createObjectNode();
    ObjectNode p = root.putArray("predictions").addObject();
    ArrayNode l = p.putArray("logits");
    for (float v : logits) {
      l.add(v);
    }
    ArrayNode q = p.putArray("probabilities");
    for (float v : probabilities) {
      q.add(v);
    }
    return root;
  }
}
