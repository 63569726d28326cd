package dev.lenet.tf;

import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import java.nio.file.Path;

/**
 * A training run in its own JVM, to be killed: {@code CheckpointWorker DIR OPTIMIZER EPOCHS
 * [PAUSE]} trains {@link TrainingTest#smallNet()} on one thread with a checkpoint every epoch into
 * DIR, and if PAUSE is given, stops for a minute after that epoch (to be killed there).
 */
public final class CheckpointWorker {

  private CheckpointWorker() {}

  static TrainingConfig config(Optimizer optimizer, int epochs) {
    double lr = optimizer == Optimizer.ADAM ? 0.01 : 0.05;
    return TrainingTest.quick()
        .optimizer(optimizer)
        .learningRate(lr)
        .epochs(epochs)
        .threads(1)
        .build();
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    TrainingConfig config = config(Optimizer.valueOf(args[1]), Integer.parseInt(args[2]));
    int pause = args.length > 3 ? Integer.parseInt(args[3]) : -1;
    try (TfModel model =
        new TfTrainer()
            .train(
                TrainingTest.smallNet(),
                TrainingTest.QUADRANTS,
                config,
                new dev.lenet.api.train.TrainingListener() {
                  @Override
                  public void onEpoch(dev.lenet.api.train.EpochMetrics m) {
                    System.out.println("epoch " + m.epoch());
                    if (m.epoch() == pause) {
                      try {
                        Thread.sleep(60_000);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                    }
                  }
                },
                CheckpointPolicy.everyEpoch(dir))) {
      System.out.println("done after " + model.history().size() + " epochs");
    }
  }
}
