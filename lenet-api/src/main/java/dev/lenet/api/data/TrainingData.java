package dev.lenet.api.data;

/**
 * A training set and the test set it is measured on after each epoch. Both hold images of one shape
 * and the same classes.
 */
public record TrainingData(ImageDataset train, ImageDataset test) {

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
