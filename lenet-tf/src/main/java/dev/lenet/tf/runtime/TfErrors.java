package dev.lenet.tf.runtime;

import dev.lenet.api.train.TrainingException;
import java.util.function.Supplier;

/** Turns TensorFlow's exceptions into the API's, with what the caller can do. */
public final class TfErrors {

  private TfErrors() {}

  /** Runs {@code work}, translating TensorFlow failures into {@link TrainingException}. */
  public static <T> T translate(String doing, Supplier<T> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      throw translate(doing, e);
    }
  }

  /**
   * {@code e} as a {@link TrainingException} if TensorFlow threw it (its exceptions extend several
   * JDK types, all from one package), else {@code e} itself.
   */
  public static RuntimeException translate(String doing, RuntimeException e) {
    if (!isTensorFlow(e)) {
      return e;
    }
    return new TrainingException(
        "TensorFlow failed while " + doing + ": " + firstLine(e.getMessage()), e);
  }

  public static boolean isTensorFlow(Throwable e) {
    return e.getClass().getPackageName().equals("org.tensorflow.exceptions");
  }

  /** The first line of an exception message, or {@code (no message)}. */
  public static String firstLine(String message) {
    if (message == null) {
      return "(no message)";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
