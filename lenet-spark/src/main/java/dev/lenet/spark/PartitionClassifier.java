package dev.lenet.spark;

import dev.lenet.api.image.ImageException;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import java.io.ByteArrayInputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Classifies one partition's rows in batches: decodes up to {@code batchSize} rows, runs the good
 * ones through {@link TfModel#predict} in one call, and appends the output columns to every row. A
 * row that cannot become model input gets null predictions and the reason in the error column.
 */
final class PartitionClassifier implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  /** What the input column holds. */
  enum InputKind {
    /** An encoded image file (PNG, JPEG, ...), as {@code binaryFile}'s {@code content}. */
    ENCODED,
    /** Floats in [0, 1] in the model's input shape, {@code (C, H, W)} row-major. */
    FLOATS,
    /** A struct of Spark's {@code image} data source: decoded 8-bit gray, BGR or BGRA. */
    SPARK_IMAGE
  }

  private final String modelPath;
  private final int batchSize;
  private final int inputIndex;
  private final InputKind kind;
  private final int pathIndex;
  private final boolean withProbabilities;
  private final int topK;

  /**
   * @param pathIndex the index of a string column naming each row in error messages, or -1
   * @param topK how many best classes to list per row; 0: no such column
   */
  PartitionClassifier(
      String modelPath,
      int batchSize,
      int inputIndex,
      InputKind kind,
      int pathIndex,
      boolean withProbabilities,
      int topK) {
    this.modelPath = modelPath;
    this.batchSize = batchSize;
    this.inputIndex = inputIndex;
    this.kind = kind;
    this.pathIndex = pathIndex;
    this.withProbabilities = withProbabilities;
    this.topK = topK;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final ArrayDeque<Row> ready = new ArrayDeque<>();
      private long position;

      @Override
      public boolean hasNext() {
        if (ready.isEmpty() && rows.hasNext()) {
          classifyBatch(rows, ready, position);
          position += ready.size();
        }
        return !ready.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.poll();
      }
    };
  }

  private void classifyBatch(Iterator<Row> rows, ArrayDeque<Row> out, long position) {
    TfModel model = ModelCache.get(modelPath);
    Shape shape = model.spec().input();
    int size = (int) shape.size();
    List<Row> batch = new ArrayList<>(batchSize);
    List<String> errors = new ArrayList<>(batchSize);
    float[] images = new float[batchSize * size];
    int good = 0;
    while (batch.size() < batchSize && rows.hasNext()) {
      Row row = rows.next();
      String error = null;
      try {
        float[] input = input(row, shape, name(row, position + batch.size()));
        System.arraycopy(input, 0, images, good * size, size);
        good++;
      } catch (ImageException | BadRowException | SparkImages.BadImageRowException e) {
        error = e.getMessage();
      }
      batch.add(row);
      errors.add(error);
    }
    List<Prediction> predictions =
        good == 0 ? List.of() : model.predict(Arrays.copyOf(images, good * size), good);
    List<String> classNames = model.classNames();
    int next = 0;
    for (int i = 0; i < batch.size(); i++) {
      Row row = batch.get(i);
      Object[] values =
          new Object[row.length() + 4 + (withProbabilities ? 1 : 0) + (topK > 0 ? 1 : 0)];
      for (int k = 0; k < row.length(); k++) {
        values[k] = row.get(k);
      }
      int at = row.length();
      if (errors.get(i) == null) {
        Prediction p = predictions.get(next++);
        int c = p.predictedClass();
        values[at] = c;
        values[at + 1] = classNames.get(c);
        values[at + 2] = p.probabilities().get(c);
        int extra = at + 3;
        if (withProbabilities) {
          values[extra++] = CollectionConverters.asScala(p.probabilities()).toSeq();
        }
        if (topK > 0) {
          values[extra] = CollectionConverters.asScala(best(p.probabilities(), classNames)).toSeq();
        }
      }
      values[values.length - 1] = errors.get(i);
      out.add(RowFactory.create(values));
    }
  }

  /**
   * The {@code topK} most probable classes (all of them if there are fewer), most probable first,
   * equal probabilities in class order: rows of (index, class name, probability).
   */
  private List<Row> best(List<Float> probabilities, List<String> classNames) {
    List<Integer> order = new ArrayList<>(probabilities.size());
    for (int c = 0; c < probabilities.size(); c++) {
      order.add(c);
    }
    order.sort(
        (a, b) -> {
          int byProbability = Float.compare(probabilities.get(b), probabilities.get(a));
          return byProbability != 0 ? byProbability : Integer.compare(a, b);
        });
    List<Row> out = new ArrayList<>(Math.min(topK, order.size()));
    for (int c : order.subList(0, Math.min(topK, order.size()))) {
      out.add(RowFactory.create(c, classNames.get(c), probabilities.get(c)));
    }
    return out;
  }

  private float[] input(Row row, Shape shape, String name) {
    if (row.isNullAt(inputIndex)) {
      throw new BadRowException(name + ": the input column is null");
    }
    switch (kind) {
      case ENCODED:
        byte[] bytes = row.getAs(inputIndex);
        return ImageReader.standard().read(new ByteArrayInputStream(bytes), name, shape);
      case FLOATS:
        List<Float> values = row.getList(inputIndex);
        if (values.size() != shape.size()) {
          throw new BadRowException(
              name
                  + ": expected "
                  + shape.size()
                  + " floats for the model's input "
                  + shape
                  + ", found "
                  + values.size());
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
          Float v = values.get(i);
          if (v == null) {
            throw new BadRowException(name + ": value " + i + " is null");
          }
          out[i] = v;
        }
        return out;
      case SPARK_IMAGE:
        return SparkImages.input(row.getStruct(inputIndex), shape, name);
    }
    throw new AssertionError(kind);
  }

  private String name(Row row, long index) {
    if (pathIndex >= 0 && !row.isNullAt(pathIndex)) {
      return row.getString(pathIndex);
    }
    if (kind == InputKind.SPARK_IMAGE
        && !row.isNullAt(inputIndex)
        && SparkImages.origin(row.getStruct(inputIndex)) != null) {
      return SparkImages.origin(row.getStruct(inputIndex));
    }
    return "row " + index + " of the partition";
  }

  /** A row whose input does not fit the model. */
  private static final class BadRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRowException(String message) {
      super(message);
    }
  }
}
