package dev.lenet.api.train;

/**
 * Progress within an epoch, sent to listeners after each training step. A backend that runs several
 * steps in one call (lenet-tf does for long runs) sends that call's steps together once it returns,
 * each with the time at its end.
 *
 * @param epoch the epoch, from 1
 * @param batch the step just done within the epoch, from 1
 * @param batches steps in the epoch
 * @param examples training examples seen so far this epoch
 * @param meanLoss mean loss over those examples
 * @param accuracy fraction of those examples classified right
 * @param seconds training time so far this epoch
 */
public record BatchProgress(
    int epoch,
    int batch,
    int batches,
    long examples,
    double meanLoss,
    double accuracy,
    double seconds) {}
