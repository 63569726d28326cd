package dev.lenet.tf;

import dev.lenet.api.train.CheckpointHook;
import dev.lenet.api.train.CheckpointPolicy;
import dev.lenet.api.train.EpochMetrics;
import dev.lenet.api.train.HaltAt;
import dev.lenet.api.train.Optimizer;
import dev.lenet.api.train.TrainingConfig;
import dev.lenet.api.train.TrainingListener;
import java.nio.file.Path;

/**
 * A training run in its own JVM, to be killed or to resume: {@code CheckpointWorker train|resume
 * DIR OPTIMIZER EPOCHS [PAUSE | STAGE:EPOCH]} trains {@link TrainingTest#smallNet()} on one thread
 * with a checkpoint every epoch into DIR (or resumes from DIR). With PAUSE it stops for a minute
 * after that epoch, to be killed there; with STAGE:EPOCH it halts when writing that epoch's
 * checkpoint reaches that stage ({@link HaltAt}, e.g. {@code RENAMED:2}). Every run of the
 * comparison happens in a fresh JVM, so that no process-wide kernel cache of another test can
 * change a result's last bits.
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
    boolean resume = args[0].equals("resume");
    Path dir = Path.of(args[1]);
    TrainingConfig config = config(Optimizer.valueOf(args[2]), Integer.parseInt(args[3]));
    String last = args.length > 4 ? args[4] : "";
    boolean halt = last.contains(":");
    int pause = halt || last.isEmpty() ? -1 : Integer.parseInt(last);
    CheckpointHook hook = halt ? HaltAt.parse(last) : CheckpointHook.NONE;
    TrainingListener listener =
        new TrainingListener() {
          @Override
          public void onEpoch(EpochMetrics m) {
            System.out.println("epoch " + m.epoch());
            if (m.epoch() == pause) {
              try {
                Thread.sleep(60_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          }
        };
    CheckpointPolicy policy = CheckpointPolicy.everyEpoch(dir).withHook(hook);
    TfTrainer trainer = new TfTrainer();
    try (TfModel model =
        resume
            ? trainer.resume(TrainingTest.QUADRANTS, listener, policy)
            : trainer.train(
                TrainingTest.smallNet(), TrainingTest.QUADRANTS, config, listener, policy)) {
      System.out.println("done after " + model.history().size() + " epochs");
    }
  }
}
