package dev.lenet.api.train;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Finds {@link Trainer} implementations on the class path through {@link ServiceLoader}. */
public final class Trainers {

  /** The backend module most users want. */
  public static final String TENSORFLOW_MODULE = "dev.lenet:lenet-tf";

  private Trainers() {}

  /**
   * The first trainer found on the class path.
   *
   * @throws IllegalStateException when none is found, saying which module to add
   */
  public static Trainer find() {
    return find(Trainers.class.getClassLoader());
  }

  /** As {@link #find()}, searching {@code loader}. */
  public static Trainer find(ClassLoader loader) {
    List<Trainer> found = all(loader);
    if (found.isEmpty()) {
      throw new IllegalStateException(
          "no lenet training backend found: looked for implementations of "
              + Trainer.class.getName()
              + " registered in META-INF/services on the class path; add the Maven dependency "
              + TENSORFLOW_MODULE
              + " (or create the backend directly, e.g. new dev.lenet.tf.TfTrainer())");
    }
    return found.get(0);
  }

  /** Every trainer registered on the class path of {@code loader}, in discovery order. */
  public static List<Trainer> all(ClassLoader loader) {
    List<Trainer> trainers = new ArrayList<>();
    ServiceLoader.load(Trainer.class, loader).forEach(trainers::add);
    return List.copyOf(trainers);
  }
}
