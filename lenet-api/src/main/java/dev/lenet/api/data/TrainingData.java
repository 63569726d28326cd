package dev.lenet.api.data;

/**
 * A training set and the test set it is measured on after each epoch. Both hold images of one shape
 * and the same classes.
 *
 * @param identity which data set the files were (known set and checksums), recorded by a model
 *     trained on it; null for data built in memory, whose models record none
 */
public record TrainingData(ImageDataset train, ImageDataset test, DataIdentity identity) {

  /** Training and test sets built in memory: no identity. */
  public TrainingData(ImageDataset train, ImageDataset test) {
    this(train, test, null);
  }

  public TrainingData {
    if (!train.imageShape().equals(test.imageShape())) {
      throw new DatasetException(
          "images differ in size: "
              + train.name()
              + " has "
              + train.imageShape()
              + ", "
              + test.name()
              + " has "
              + test.imageShape());
    }
    if (!train.classNames().equals(test.classNames())) {
      throw new DatasetException(
          "classes differ: " + train.name() + " and " + test.name() + " name different classes");
    }
  }
}
