package dev.lenet.spark;

import dev.lenet.api.image.ImageReader;
import dev.lenet.api.image.SampleOrder;
import dev.lenet.api.spec.Shape;
import java.util.Arrays;
import org.apache.spark.ml.image.ImageSchema;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Rows of Spark's {@code image} data source ({@code origin, height, width, nChannels, mode, data}:
 * 8-bit samples, row-major, gray, BGR or BGRA) as model input, through lenet-api's {@link
 * ImageReader}: the same luma, alpha compositing and resize as for the encoded file.
 */
final class SparkImages {

  /** OpenCV's 8-bit types, the only ones Spark's image source writes: CV_8UC1, CV_8UC3, CV_8UC4. */
  private static final int CV_8UC1 = 0;

  private static final int CV_8UC3 = 16;
  private static final int CV_8UC4 = 24;

  private SparkImages() {}

  /** Whether {@code type} is the image source's struct: its field names, in its order. */
  static boolean isImageStruct(DataType type) {
    if (!(type instanceof StructType)) {
      return false;
    }
    String[] names =
        Arrays.stream(((StructType) type).fields()).map(StructField::name).toArray(String[]::new);
    return Arrays.equals(names, ImageSchema.columnSchema().fieldNames());
  }

  /** The image source's origin of {@code image}, or null. */
  static String origin(Row image) {
    return image.isNullAt(0) ? null : ImageSchema.getOrigin(image);
  }

  /**
   * @throws BadImageRowException for an invalid image row (a file Spark could not decode) or an
   *     OpenCV type other than 8-bit gray, BGR or BGRA
   */
  static float[] input(Row image, Shape shape, String name) {
    int height = ImageSchema.getHeight(image);
    int width = ImageSchema.getWidth(image);
    int channels = ImageSchema.getNChannels(image);
    int mode = ImageSchema.getMode(image);
    if (height < 0 || width < 0 || channels < 0 || mode < 0) {
      throw new BadImageRowException(
          name + ": Spark's image source could not decode this file (an invalid image row)");
    }
    SampleOrder order;
    if (mode == CV_8UC1 && channels == 1) {
      order = SampleOrder.GRAY;
    } else if (mode == CV_8UC3 && channels == 3) {
      order = SampleOrder.BGR;
    } else if (mode == CV_8UC4 && channels == 4) {
      order = SampleOrder.BGRA;
    } else {
      throw new BadImageRowException(
          name
              + ": image mode "
              + mode
              + " with "
              + channels
              + " channels is not 8-bit gray, BGR or BGRA (OpenCV CV_8UC1, CV_8UC3, CV_8UC4)");
    }
    return ImageReader.standard()
        .read(ImageSchema.getData(image), width, height, order, name, shape);
  }

  /** An image row that does not hold an image the model can take. */
  static final class BadImageRowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadImageRowException(String message) {
      super(message);
    }
  }
}
