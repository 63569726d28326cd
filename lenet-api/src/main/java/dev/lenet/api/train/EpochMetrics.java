package dev.lenet.api.train;

/**
 * What the book reports after each epoch.
 *
 * @param epoch the epoch, from 1
 * @param trainLoss mean cross-entropy over the epoch's training examples (as the weights changed)
 * @param trainAccuracy fraction of the epoch's training examples classified right, in [0, 1]
 * @param testAccuracy fraction of the test set classified right after the epoch, in [0, 1]
 * @param examplesPerSecond training examples per second of training time (evaluation excluded)
 * @param seconds wall time of the epoch's training steps
 */
public record EpochMetrics(
    int epoch,
    double trainLoss,
    double trainAccuracy,
    double testAccuracy,
    double examplesPerSecond,
    double seconds) {}
