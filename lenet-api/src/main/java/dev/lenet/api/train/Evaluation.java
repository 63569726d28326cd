package dev.lenet.api.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a model does on a labelled data set, derived from its confusion matrix.
 *
 * @param classNames one name per class
 * @param confusion {@code confusion.get(actual).get(predicted)} counts examples
 */
public record Evaluation(List<String> classNames, List<List<Long>> confusion) {

  public Evaluation {
    classNames = List.copyOf(classNames);
    List<List<Long>> rows = new ArrayList<>();
    for (List<Long> row : confusion) {
      if (row.size() != classNames.size()) {
        throw new IllegalArgumentException(
            "confusion matrix rows must have "
                + classNames.size()
                + " entries, found "
                + row.size());
      }
      rows.add(List.copyOf(row));
    }
    if (rows.size() != classNames.size()) {
      throw new IllegalArgumentException(
          "confusion matrix must have " + classNames.size() + " rows, found " + rows.size());
    }
    confusion = List.copyOf(rows);
  }

  /** From parallel arrays of actual and predicted labels. */
  public static Evaluation of(List<String> classNames, int[] actual, int[] predicted) {
    if (actual.length != predicted.length) {
      throw new IllegalArgumentException(
          actual.length + " actual labels but " + predicted.length + " predictions");
    }
    int k = classNames.size();
    long[][] counts = new long[k][k];
    for (int i = 0; i < actual.length; i++) {
      counts[actual[i]][predicted[i]]++;
    }
    List<List<Long>> rows = new ArrayList<>(k);
    for (long[] row : counts) {
      rows.add(java.util.Arrays.stream(row).boxed().toList());
    }
    return new Evaluation(classNames, rows);
  }

  /** Number of classes. */
  public int classes() {
    return classNames.size();
  }

  /** Examples evaluated. */
  public long total() {
    long n = 0;
    for (List<Long> row : confusion) {
      for (long c : row) {
        n += c;
      }
    }
    return n;
  }

  /** Fraction classified right, in [0, 1]; 0 when nothing was evaluated. */
  public double accuracy() {
    long right = 0;
    for (int c = 0; c < classes(); c++) {
      right += confusion.get(c).get(c);
    }
    long total = total();
    return total == 0 ? 0 : (double) right / total;
  }

  /** Of the examples predicted as {@code c}, the fraction that are {@code c}; 0 if none were. */
  public double precision(int c) {
    long predicted = 0;
    for (List<Long> row : confusion) {
      predicted += row.get(c);
    }
    return predicted == 0 ? 0 : (double) confusion.get(c).get(c) / predicted;
  }

  /** Of the examples of class {@code c}, the fraction predicted as {@code c}; 0 if none exist. */
  public double recall(int c) {
    long actual = confusion.get(c).stream().mapToLong(Long::longValue).sum();
    return actual == 0 ? 0 : (double) confusion.get(c).get(c) / actual;
  }

  /** Harmonic mean of precision and recall of class {@code c}; 0 when both are 0. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** A text report: accuracy, per-class precision/recall/F1, then the confusion matrix. */
  public String report() {
    int nameWidth = classNames.stream().mapToInt(String::length).max().orElse(5);
    nameWidth = Math.max(nameWidth, "class".length());
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "accuracy %.4f on %,d examples%n%n", accuracy(), total()));
    String row = "%-" + nameWidth + "s  %9s  %6s  %6s%n";
    s.append(String.format(Locale.ROOT, row, "class", "precision", "recall", "f1"));
    for (int c = 0; c < classes(); c++) {
      s.append(
          String.format(
              Locale.ROOT,
              "%-" + nameWidth + "s  %9.4f  %6.4f  %6.4f%n",
              classNames.get(c),
              precision(c),
              recall(c),
              f1(c)));
    }
    s.append(String.format(Locale.ROOT, "%nconfusion (rows: actual, columns: predicted)%n"));
    s.append(" ".repeat(nameWidth));
    for (int c = 0; c < classes(); c++) {
      s.append(String.format(Locale.ROOT, " %6d", c));
    }
    s.append('\n');
    for (int a = 0; a < classes(); a++) {
      s.append(String.format(Locale.ROOT, "%-" + nameWidth + "s", classNames.get(a)));
      for (long count : confusion.get(a)) {
        s.append(String.format(Locale.ROOT, " %6d", count));
      }
      s.append('\n');
    }
    return s.toString();
  }
}
