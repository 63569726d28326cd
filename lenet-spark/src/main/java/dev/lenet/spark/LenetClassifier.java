package dev.lenet.spark;

import java.util.UUID;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * A Spark ML {@code Transformer} that classifies a column of images with a model saved by lenet
 * ({@code lenet train}, {@code TfModel.save}).
 *
 * <p>The input column ({@link #inputCol()}, default {@code content}) holds either encoded image
 * files (binary: PNG, JPEG, BMP, GIF, as {@code spark.read().format("binaryFile")} gives them),
 * decoded and converted by lenet-api's {@code ImageReader} as {@code lenet predict} does; the
 * {@code image} column of {@code spark.read().format("image")} (decoded 8-bit gray, BGR or BGRA),
 * converted by the same {@code ImageReader} rules, so that it gives the same input as the encoded
 * file; or arrays of floats in [0, 1] in the model's input shape, {@code (C, H, W)} row-major. An
 * invalid image row (a file Spark could not decode) becomes an error row.
 *
 * <p>Appended columns: the predicted class index ({@code prediction}, int), its name ({@code
 * className}), its probability ({@code probability}, float), optionally every class's probability
 * ({@link #probabilitiesCol()}, array of float, off by default), the {@link #topK()} most probable
 * classes ({@link #setTopK}, off by default) and {@code error} (string). A row that cannot be
 * classified (not an image, damaged, wrong number of floats, null) gets nulls and the reason in
 * {@code error}, naming its {@code path} column when the data has one; the job goes on.
 *
 * <p>Each JVM (each executor) loads the model once per model path and shares it between its tasks;
 * rows are classified {@link #batchSize()} at a time. The model path is either a local directory
 * present on every executor or a URI with a scheme ({@code hdfs://}, {@code s3a://}, {@code file:},
 * ...) that Hadoop's {@code FileSystem} can read with the executor's Hadoop configuration ({@code
 * core-site.xml} on the classpath plus the {@code spark.hadoop.*} entries of the Spark
 * configuration): each JVM copies such a directory once into a local temporary directory, loads it
 * from there and deletes the copy when it shuts down. A URI that cannot be read fails the job with
 * a message naming it.
 */
public final class LenetClassifier extends Transformer implements DefaultParamsWritable {

  private static final long serialVersionUID = 1L;

  /** Images per call into the model. */
  public static final int DEFAULT_BATCH_SIZE = 256;

  private final String uid;
  private final Param<String> inputCol;
  private final Param<String> modelPath;
  private final IntParam batchSize;
  private final Param<String> predictionCol;
  private final Param<String> classNameCol;
  private final Param<String> probabilityCol;
  private final Param<String> probabilitiesCol;
  private final IntParam topK;
  private final Param<String> topKCol;
  private final Param<String> errorCol;

  /** A classifier with a random uid and the defaults; set at least the model path. */
  public LenetClassifier() {
    this("lenetClassifier_" + UUID.randomUUID().toString().substring(24));
  }

  /** A classifier with this uid: what Spark's reader calls when a pipeline is loaded. */
  public LenetClassifier(String uid) {
    this.uid = uid;
    inputCol =
        new Param<>(
            this, "inputCol", "column of encoded images, of Spark image structs or float arrays");
    modelPath =
        new Param<>(this, "modelPath", "directory of a saved lenet model: local path or URI");
    batchSize = new IntParam(this, "batchSize", "images per call into the model (>= 1)");
    predictionCol = new Param<>(this, "predictionCol", "output column: predicted class index");
    classNameCol = new Param<>(this, "classNameCol", "output column: predicted class name");
    probabilityCol = new Param<>(this, "probabilityCol", "output column: its probability");
    probabilitiesCol =
        new Param<>(this, "probabilitiesCol", "output column of all probabilities; empty: none");
    topK = new IntParam(this, "topK", "how many best classes to list per row (>= 0); 0: none");
    topKCol = new Param<>(this, "topKCol", "output column of the topK best classes");
    errorCol = new Param<>(this, "errorCol", "output column: why a row has no prediction");
    setDefault(inputCol, "content");
    setDefault(batchSize, DEFAULT_BATCH_SIZE);
    setDefault(predictionCol, "prediction");
    setDefault(classNameCol, "className");
    setDefault(probabilityCol, "probability");
    setDefault(probabilitiesCol, "");
    setDefault(topK, 0);
    setDefault(topKCol, "topK");
    setDefault(errorCol, "error");
  }

  /** Spark's reader for a saved classifier (and for a pipeline holding one). */
  public static MLReader<LenetClassifier> read() {
    return new DefaultParamsReader<>();
  }

  /** The classifier saved in {@code path} by {@code write().save(path)}. */
  public static LenetClassifier load(String path) {
    return read().load(path);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> inputCol() {
    return inputCol;
  }

  public Param<String> modelPath() {
    return modelPath;
  }

  public IntParam batchSize() {
    return batchSize;
  }

  public Param<String> predictionCol() {
    return predictionCol;
  }

  public Param<String> classNameCol() {
    return classNameCol;
  }

  public Param<String> probabilityCol() {
    return probabilityCol;
  }

  public Param<String> probabilitiesCol() {
    return probabilitiesCol;
  }

  public IntParam topK() {
    return topK;
  }

  public Param<String> topKCol() {
    return topKCol;
  }

  public Param<String> errorCol() {
    return errorCol;
  }

  public LenetClassifier setInputCol(String value) {
    set(inputCol, value);
    return this;
  }

  public LenetClassifier setModelPath(String value) {
    set(modelPath, value);
    return this;
  }

  /**
   * @throws IllegalArgumentException if {@code value < 1}
   */
  public LenetClassifier setBatchSize(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + value);
    }
    set(batchSize, value);
    return this;
  }

  public LenetClassifier setPredictionCol(String value) {
    set(predictionCol, value);
    return this;
  }

  public LenetClassifier setClassNameCol(String value) {
    set(classNameCol, value);
    return this;
  }

  public LenetClassifier setProbabilityCol(String value) {
    set(probabilityCol, value);
    return this;
  }

  /** Adds a column with every class's probability; empty (the default) adds none. */
  public LenetClassifier setProbabilitiesCol(String value) {
    set(probabilitiesCol, value);
    return this;
  }

  /**
   * Adds a column ({@link #topKCol()}, default {@code topK}) listing the {@code value} most
   * probable classes of each row, most probable first (all the classes if the model has fewer): an
   * array of structs {@code (index int, className string, probability float)}; 0 (the default) adds
   * none.
   *
   * @throws IllegalArgumentException if {@code value < 0}
   */
  public LenetClassifier setTopK(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("topK must be at least 0, found " + value);
    }
    set(topK, value);
    return this;
  }

  public LenetClassifier setTopKCol(String value) {
    set(topKCol, value);
    return this;
  }

  public LenetClassifier setErrorCol(String value) {
    set(errorCol, value);
    return this;
  }

  /** The columns this classifier's params name, their defaults where unset. */
  private ClassifierColumns columns() {
    return new ClassifierColumns(
        getOrDefault(inputCol),
        getOrDefault(predictionCol),
        getOrDefault(classNameCol),
        getOrDefault(probabilityCol),
        getOrDefault(probabilitiesCol),
        (Integer) getOrDefault(topK),
        getOrDefault(topKCol),
        getOrDefault(errorCol));
  }

  @Override
  public StructType transformSchema(StructType schema) {
    return columns().outputSchema(schema);
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    if (!isDefined(modelPath)) {
      throw new IllegalArgumentException("set the model path (setModelPath) before transform");
    }
    ClassifierColumns columns = columns();
    StructType in = dataset.schema();
    StructType out = columns.outputSchema(in);
    int batch = (Integer) getOrDefault(batchSize);
    if (batch < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1, found " + batch);
    }
    PartitionClassifier classify =
        new PartitionClassifier(
            getOrDefault(modelPath),
            batch,
            in.fieldIndex(columns.input()),
            columns.inputKind(in),
            ClassifierColumns.pathIndex(in),
            columns.withProbabilities(),
            columns.topK());
    return dataset.toDF().mapPartitions(classify, Encoders.row(out));
  }

  /**
   * How many rows of {@code transformed} (this classifier's output) have an error: the rows that
   * could not be classified. It is a Spark action: it runs the classification again unless {@code
   * transformed} is cached (cache it when you also use the predictions). The count is exact; a
   * counter inside {@code transform}, a Spark accumulator, would count a row again whenever a task
   * is retried, speculated or recomputed.
   *
   * @throws IllegalArgumentException if {@code transformed} lacks the {@link #errorCol()} column
   */
  public long errorCount(Dataset<?> transformed) {
    String name = getOrDefault(errorCol);
    ClassifierColumns.requireErrorColumn(name, transformed);
    return transformed.filter(transformed.col(name).isNotNull()).count();
  }

  @Override
  public LenetClassifier copy(ParamMap extra) {
    return defaultCopy(extra);
  }
}
