package dev.lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.data.Pixels;
import dev.lenet.api.image.ImageException;
import dev.lenet.api.image.ImageReader;
import dev.lenet.api.image.ImageTooLargeException;
import dev.lenet.api.spec.Shape;
import dev.lenet.api.train.Prediction;
import dev.lenet.tf.TfModel;
import dev.lenet.tf.runtime.TfImages;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/models/{name}:predictImage[?top=K]}: an encoded image (the body, with an {@code
 * image/...} content type, or the file field {@code image} of a {@code multipart/form-data} form)
 * read by the library's {@link ImageReader}, the same code as {@code lenet predict}, and answered
 * with the top classes and the image as the model sees it:
 *
 * <pre>{@code
 * {"predictions": [{"class": 9, "name": "Ankle boot", "probability": 0.93}, ...],
 *  "image": {"channels": 1, "height": 28, "width": 28, "pixels": [0, 0, 13, ...]}}
 * }</pre>
 *
 * <p>{@code pixels} are the 8-bit samples the model's input is scaled from, {@code (C, H, W)} in
 * row-major order: {@code H * W} values for a one-channel model.
 */
final class ImagePredictions {

  /** Classes answered unless {@code top} says otherwise. */
  static final int DEFAULT_TOP = 5;

  /** The multipart form's file field. */
  static final String FIELD = "image";

  private final ImageReader reader;
  private final ObjectMapper json;
  private final long maxBodyBytes;

  ImagePredictions(long maxImagePixels, long maxBodyBytes, ObjectMapper json) {
    this.reader = ImageReader.builder().maxPixels(maxImagePixels).build();
    this.maxBodyBytes = maxBodyBytes;
    this.json = json;
  }

  /** The answer for the image in the request {@code ctx}, classified by {@code model}. */
  JsonNode predict(ServedModel served, Context ctx) throws IOException {
    TfModel model = served.model();
    int top = top(ctx.queryParam("top"), model.classNames().size());
    Shape shape = model.spec().input();
    if (!shape.isImage() || (shape.channels() != 1 && shape.channels() != 3)) {
      throw ApiException.badRequest(
          "this model's input " + shape + " is not a 1- or 3-channel image; use :predict");
    }
    RequestBody.refuseDeclaredOverLimit(ctx, maxBodyBytes, "send a smaller image file");
    byte[] samples = samples(ctx, shape);
    // The reader gives (C, H, W), as training's data; the signature takes (H, W, C).
    float[] nhwc = TfImages.toNhwc(Pixels.toUnit(samples), 0, 1, shape);
    Prediction p = Prediction.of(served.run(nhwc, 1).probabilities(0));
    ObjectNode root = json.createObjectNode();
    ArrayNode predictions = root.putArray("predictions");
    for (int c : p.topClasses(top)) {
      predictions
          .addObject()
          .put("class", c)
          .put("name", model.classNames().get(c))
          .put("probability", p.probabilities().get(c));
    }
    ObjectNode image = root.putObject("image");
    image.put("channels", shape.channels()).put("height", shape.height());
    image.put("width", shape.width());
    ArrayNode pixels = image.putArray("pixels");
    for (byte b : samples) {
      pixels.add(Byte.toUnsignedInt(b));
    }
    return root;
  }

  private byte[] samples(Context ctx, Shape shape) throws IOException {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    if (type.startsWith("multipart/form-data")) {
      UploadedFile file = uploaded(ctx);
      try (InputStream in = file.content()) {
        return decode(in, "the form's file \"" + file.filename() + "\"", shape);
      }
    }
    if (!type.startsWith("image/")) {
      throw ApiException.badRequest(
          "Content-Type "
              + (type.isEmpty() ? "is missing" : "\"" + type + "\" is not taken")
              + "; send the image file as the body with Content-Type image/png (image/jpeg,"
              + " image/gif, image/bmp), or a multipart/form-data form with a file field \""
              + FIELD
              + "\"");
    }
    byte[] body =
        RequestBody.read(
            ctx,
            maxBodyBytes,
            "send a smaller image file",
            "the request body is empty; send an image file");
    return decode(new ByteArrayInputStream(body), "the request body", shape);
  }

  private UploadedFile uploaded(Context ctx) {
    List<UploadedFile> files;
    try {
      files = ctx.uploadedFiles(FIELD);
    } catch (RuntimeException e) {
      throw ApiException.badRequest(
          "the multipart/form-data body cannot be read: "
              + e.getMessage()
              + "; send a form with one file field \""
              + FIELD
              + "\" of at most "
              + maxBodyBytes
              + " bytes");
    }
    if (files.size() != 1) {
      throw ApiException.badRequest(
          "the form has "
              + (files.isEmpty() ? "no" : files.size())
              + " file fields named \""
              + FIELD
              + "\"; send exactly one, holding the image file");
    }
    return files.get(0);
  }

  private byte[] decode(InputStream in, String name, Shape shape) {
    try {
      return reader.samples(in, name, shape);
    } catch (ImageTooLargeException e) {
      throw ApiException.badRequest(
          String.format(
              Locale.ROOT,
              "%s declares %dx%d pixels (%,d), more than this server's limit of %,d"
                  + " (maxImagePixels); scale the image down before sending it",
              name,
              e.width(),
              e.height(),
              (long) e.width() * e.height(),
              e.limit()));
    } catch (ImageException e) {
      throw ApiException.badRequest(e.getMessage() + "; send a PNG, JPEG, GIF or BMP image");
    }
  }

  private static int top(String value, int classes) {
    if (value == null) {
      return Math.min(DEFAULT_TOP, classes);
    }
    int k;
    try {
      k = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      k = 0;
    }
    if (k < 1 || k > classes) {
      throw ApiException.badRequest(
          "top=\"" + value + "\" must be a whole number from 1 to " + classes + " (the classes)");
    }
    return k;
  }
}
