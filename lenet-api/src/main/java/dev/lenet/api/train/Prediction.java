package dev.lenet.api.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A model's answer for one image.
 *
 * @param predictedClass the most probable class
 * @param probabilities one probability per class (softmax of the logits), summing to 1
 */
public record Prediction(int predictedClass, List<Float> probabilities) {

  public Prediction {
    probabilities = List.copyOf(probabilities);
    if (predictedClass < 0 || predictedClass >= probabilities.size()) {
      throw new IllegalArgumentException(
          "predicted class " + predictedClass + " is outside " + probabilities.size() + " classes");
    }
  }

  /** From probabilities: the predicted class is the first one with the highest probability. */
  public static Prediction of(float[] probabilities) {
    List<Float> p = new ArrayList<>(probabilities.length);
    int best = 0;
    for (int i = 0; i < probabilities.length; i++) {
      p.add(probabilities[i]);
      if (probabilities[i] > probabilities[best]) {
        best = i;
      }
    }
    return new Prediction(best, p);
  }

  /** The {@code k} most probable classes, most probable first. */
  public List<Integer> topClasses(int k) {
    List<Integer> classes = new ArrayList<>();
    for (int i = 0; i < probabilities.size(); i++) {
      classes.add(i);
    }
    classes.sort(Comparator.comparing((Integer c) -> probabilities.get(c)).reversed());
    return List.copyOf(classes.subList(0, Math.min(k, classes.size())));
  }
}
