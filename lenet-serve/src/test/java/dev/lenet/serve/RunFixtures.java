package dev.lenet.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** Run directories as {@code lenet train --out} writes them, made by hand for the runs view. */
final class RunFixtures {

  private RunFixtures() {}

  /**
   * Writes {@code dir}'s metrics.json with epochs 1..{@code done} of {@code total} as lenet train's
   * recorder does (a temporary file renamed into place), creating the directory.
   */
  static void writeMetrics(Path dir, int done, int total) throws IOException {
    Files.createDirectories(dir);
    StringBuilder epochs = new StringBuilder();
    for (int e = 1; e <= done; e++) {
      epochs.append(e > 1 ? ",\n" : "\n");
      epochs.append(
          String.format(
              Locale.ROOT,
              "  {\"epoch\": %d, \"loss\": %.4f, \"train_acc\": %.4f, \"test_acc\": %.4f,"
                  + " \"examples_per_sec\": %.1f, \"seconds\": %.3f}",
              e,
              loss(e),
              trainAccuracy(e),
              testAccuracy(e),
              12000.0 + e,
              4.5));
    }
    String doc =
        "{\n"
            + "\"dataset\": \"fashion-mnist\", \"data_recognised\": true, \"device\": \"cpu\",\n"
            + "\"config\": {\"epochs\": "
            + total
            + ", \"batchSize\": 256, \"learningRate\": 0.9, \"optimizer\": \"SGD\","
            + " \"weightInit\": \"XAVIER_UNIFORM\", \"seed\": 0, \"device\": \"auto\","
            + " \"intraOpThreads\": 0, \"interOpThreads\": 0, \"maxLoss\": 0.0},\n"
            + "\"execution\": {\"towers\": 2, \"intra_op_threads\": 1, \"inter_op_threads\": 0,"
            + " \"fast_paths\": []},\n"
            + "\"epochs\": ["
            + epochs
            + "]\n}\n";
    Path tmp = dir.resolve("metrics.json.tmp");
    Files.writeString(tmp, doc);
    Files.move(
        tmp,
        dir.resolve("metrics.json"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Marks {@code dir} as held by this process, as a running {@code lenet train} holds it. */
  static void lockedByThisProcess(Path dir) throws IOException {
    Files.writeString(dir.resolve(".lock"), ProcessHandle.current().pid() + "\n");
  }

  static double loss(int epoch) {
    return 2.3 / epoch;
  }

  static double trainAccuracy(int epoch) {
    return 0.9 - 0.5 / epoch;
  }

  static double testAccuracy(int epoch) {
    return 0.88 - 0.5 / epoch;
  }
}
