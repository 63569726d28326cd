package dev.lenet.spark;

import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The column names a {@code LenetClassifier} reads and writes, resolved from its params, and the
 * checks of a data set's schema against them: what the input column holds, which output columns are
 * appended and with which types, which column names the rows in error messages.
 *
 * @param probabilities the column of every class's probability; empty: none
 * @param topK how many best classes to list per row; 0: no such column
 */
record ClassifierColumns(
    String input,
    String prediction,
    String className,
    String probability,
    String probabilities,
    int topK,
    String topKName,
    String error) {

  /** One entry of the top-k column. */
  static final StructType TOP_K_TYPE =
      new StructType()
          .add("index", DataTypes.IntegerType, false)
          .add("className", DataTypes.StringType, false)
          .add("probability", DataTypes.FloatType, false);

  /**
   * @throws IllegalArgumentException if {@code topK < 0}
   */
  ClassifierColumns {
    if (topK < 0) {
      throw new IllegalArgumentException("topK must be at least 0, found " + topK);
    }
  }

  boolean withProbabilities() {
    return !probabilities.isEmpty();
  }

  /**
   * {@code schema} with the output columns appended.
   *
   * @throws IllegalArgumentException if the input column is missing or of another type, or an
   *     output column already exists
   */
  StructType outputSchema(StructType schema) {
    inputKind(schema);
    String[] outputs = {
      prediction, className, probability, probabilities, topK > 0 ? topKName : "", error
    };
    for (String name : outputs) {
      if (Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalArgumentException(
            "output column " + name + " already exists; choose another name");
      }
    }
    StructType out = schema;
    out = out.add(prediction, DataTypes.IntegerType, true);
    out = out.add(className, DataTypes.StringType, true);
    out = out.add(probability, DataTypes.FloatType, true);
    if (withProbabilities()) {
      out = out.add(probabilities, DataTypes.createArrayType(DataTypes.FloatType), true);
    }
    if (topK > 0) {
      out = out.add(topKName, DataTypes.createArrayType(TOP_K_TYPE, false), true);
    }
    return out.add(error, DataTypes.StringType, true);
  }

  /**
   * What the input column of {@code schema} holds.
   *
   * @throws IllegalArgumentException if it is missing or of another type
   */
  PartitionClassifier.InputKind inputKind(StructType schema) {
    if (!Arrays.asList(schema.fieldNames()).contains(input)) {
      throw new IllegalArgumentException(
          "input column " + input + " is not in the data; its columns: " + schema.simpleString());
    }
    DataType type = schema.apply(input).dataType();
    if (type.equals(DataTypes.BinaryType)) {
      return PartitionClassifier.InputKind.ENCODED;
    }
    if (type instanceof ArrayType && ((ArrayType) type).elementType().equals(DataTypes.FloatType)) {
      return PartitionClassifier.InputKind.FLOATS;
    }
    if (SparkImages.isImageStruct(type)) {
      return PartitionClassifier.InputKind.SPARK_IMAGE;
    }
    throw new IllegalArgumentException(
        "input column "
            + input
            + " must hold encoded images (binary), arrays of float or images of Spark's image"
            + " source (struct of origin, height, width, nChannels, mode, data), found "
            + type.simpleString());
  }

  /**
   * @throws IllegalArgumentException if {@code transformed} lacks the column {@code error}
   */
  static void requireErrorColumn(String error, Dataset<?> transformed) {
    if (!Arrays.asList(transformed.columns()).contains(error)) {
      throw new IllegalArgumentException(
          "error column "
              + error
              + " is not in the data: pass this classifier's transform output; its columns: "
              + transformed.schema().simpleString());
    }
  }

  /** The index of the string column {@code path} that names rows in error messages, or -1. */
  static int pathIndex(StructType schema) {
    for (int i = 0; i < schema.fields().length; i++) {
      StructField f = schema.fields()[i];
      if (f.name().equals("path") && f.dataType().equals(DataTypes.StringType)) {
        return i;
      }
    }
    return -1;
  }
}
