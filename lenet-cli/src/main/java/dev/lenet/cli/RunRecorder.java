package dev.lenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.internal.Json;
import dev.lenet.api.train.BatchProgress;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.ExecutionPlan;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps a run directory up to date: after every epoch it rewrites {@code metrics.json}, {@code
 * metrics.csv} and {@code curves.png}, each atomically, so a stopped run loses at most the epoch in
 * progress and a viewer watching {@code curves.png} sees the run grow.
 */
final class RunRecorder implements TrainingListener {

  static final String METRICS_JSON = "metrics.json";
  static final String METRICS_CSV = "metrics.csv";
  static final String CURVES_PNG = "curves.png";

  private static final ObjectMapper JSON = Json.builder().build();

  private final Path dir;
  private final String dataset;
  private final boolean recognised;
  private final String network;
  private final Curves curves = new Curves();
  private final List<EpochMetrics> epochs = new ArrayList<>();
  private TrainingConfig config;
  private ExecutionPlan plan;

  /**
   * A recorder of a new run; {@code recognised}: whether the data's files are the published {@code
   * dataset}; {@code network} names the network in the chart's title.
   */
  RunRecorder(Path dir, String dataset, boolean recognised, String network) {
    this(dir, dataset, recognised, network, List.of());
  }

  /** A recorder continuing a resumed run that had finished {@code previous} epochs. */
  RunRecorder(
      Path dir, String dataset, boolean recognised, String network, List<EpochMetrics> previous) {
    this.dir = dir;
    this.dataset = dataset;
    this.recognised = recognised;
    this.network = network;
    for (EpochMetrics m : previous) {
      curves.onResumedEpoch(m);
      epochs.add(m);
    }
  }

  /** The data set a run directory's metrics.json names, if it has one. */
  static java.util.Optional<String> datasetOf(Path runDir) {
    Path file = runDir.resolve(METRICS_JSON);
    if (!Files.isRegularFile(file)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.ofNullable(
          JSON.readTree(file.toFile()).path("dataset").asText(null));
    } catch (IOException e) {
      throw new UserError(file + ": cannot read: " + e.getMessage());
    }
  }

  @Override
  public void onStart(TrainingConfig config, ExecutionPlan plan) {
    this.config = config;
    this.plan = plan;
  }

  @Override
  public void onBatch(BatchProgress progress) {
    curves.onBatch(progress);
  }

  @Override
  public void onEpoch(EpochMetrics metrics) {
    curves.onEpoch(metrics);
    epochs.add(metrics);
    try {
      writeJson();
      writeCsv();
      Charts.curves(
          curves,
          config.epochs(),
          network + " on " + dataset + " (" + plan.device() + ")",
          dir.resolve(CURVES_PNG));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to the run directory " + dir, e);
    }
  }

  private void writeJson() throws IOException {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("dataset", dataset);
    doc.put("data_recognised", recognised);
    doc.put("device", plan.device().toString());
    doc.put("config", config);
    Map<String, Object> execution = new LinkedHashMap<>();
    execution.put("towers", plan.towers());
    execution.put("intra_op_threads", plan.intraOpThreads());
    execution.put("inter_op_threads", plan.interOpThreads());
    execution.put("fast_paths", plan.fastPaths());
    doc.put("execution", execution);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EpochMetrics m : epochs) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("epoch", m.epoch());
      row.put("loss", m.trainLoss());
      row.put("train_acc", m.trainAccuracy());
      row.put("test_acc", m.testAccuracy());
      row.put("examples_per_sec", m.examplesPerSecond());
      row.put("seconds", m.seconds());
      rows.add(row);
    }
    doc.put("epochs", rows);
    atomicWrite(dir.resolve(METRICS_JSON), JSON.writeValueAsString(doc) + "\n");
  }

  private void writeCsv() throws IOException {
    StringBuilder s = new StringBuilder("epoch,loss,train_acc,test_acc,examples_per_sec,seconds\n");
    for (EpochMetrics m : epochs) {
      s.append(
          String.format(
              Locale.ROOT,
              "%d,%.6f,%.6f,%.6f,%.1f,%.3f%n",
              m.epoch(),
              m.trainLoss(),
              m.trainAccuracy(),
              m.testAccuracy(),
              m.examplesPerSecond(),
              m.seconds()));
    }
    atomicWrite(dir.resolve(METRICS_CSV), s.toString());
  }

  static void atomicWrite(Path file, String content) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
