package dev.lenet.cli;

import dev.lenet.api.data.DataIdentity;
import dev.lenet.api.data.ImageDataset;
import dev.lenet.api.data.MnistVariant;
import dev.lenet.api.data.TrainingData;
import dev.lenet.api.train.Evaluation;
import dev.lenet.tf.TfModel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lenet evaluate}: accuracy, per-class metrics and the confusion matrix on the test set. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluate a trained model on the test set.",
      "Prints accuracy, per-class precision/recall/F1 and the confusion matrix; with --out, also"
          + " writes confusion.png and evaluation.txt."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Spec CommandSpec command;

  @Mixin ModelOption model = new ModelOption();

  @Mixin DataOptions data = new DataOptions();

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Also write confusion.png and evaluation.txt here.")
  Path out;

  @Override
  public Integer call() throws IOException {
    Directories.requireNotEmpty(out, "--out", "a directory for confusion.png and evaluation.txt");
    PrintWriter print = command.commandLine().getOut();
    try (TfModel trained = model.load()) {
      Optional<MnistVariant> recordedSet = trained.trainedOn().flatMap(DataIdentity::knownSet);
      if (!command.commandLine().getParseResult().hasMatchedOption("--dataset")) {
        data.dataset = datasetFor(trained);
      } else if (recordedSet.isPresent() && recordedSet.get() != data.dataset) {
        throw new UserError(
            "the model in "
                + model.directory()
                + " was trained on "
                + recordedSet.get().id()
                + ", but --dataset says "
                + data.dataset.id()
                + ": leave --dataset out or give --dataset "
                + recordedSet.get().id());
      }
      // Made before the data is read (or downloaded) so that an unusable --out stops at once,
      // and removed again if the evaluation fails before writing into it.
      Path made = out == null ? null : Directories.firstMissing(out);
      try {
        if (out != null) {
          requireWritable(Directories.create(out));
        }
        evaluate(trained, print);
      } catch (RuntimeException | IOException e) {
        Directories.removeCreated(out, made);
        throw e;
      }
    }
    return 0;
  }

  private void evaluate(TfModel trained, PrintWriter print) throws IOException {
    TrainingData loaded = data.read();
    DataIdentity found = loaded.identity();
    trained
        .trainedOn()
        .filter(recorded -> recorded.isOtherKnownSetThan(found))
        .ifPresent(
            recorded -> {
              throw new UserError(
                  "the model in "
                      + model.directory()
                      + " was trained on "
                      + recorded.name()
                      + ", but "
                      + data.located
                      + " holds "
                      + found.name()
                      + " (recognised by the checksums of its files): evaluate it on "
                      + recorded.name());
            });
    found.requireKnownAs(data.dataset, data.located);
    ImageDataset test = loaded.test();
    Evaluation eval = trained.evaluate(test);
    print.println(test.name() + ", " + test.size() + " images" + data.recognition(loaded));
    print.print(eval.report());
    if (out != null) {
      RunRecorder.atomicWrite(out.resolve("evaluation.txt"), eval.report());
      Charts.confusion(eval, out.resolve("confusion.png"));
      print.println(
          "wrote " + out.resolve("confusion.png") + " and " + out.resolve("evaluation.txt"));
    }
  }

  private static void requireWritable(Path dir) {
    if (!Files.isWritable(dir)) {
      throw new UserError("cannot write to " + dir + ": permission denied");
    }
  }

  /** The known set the model records, or else the one whose class names it was trained with. */
  private static MnistVariant datasetFor(TfModel model) {
    Optional<MnistVariant> recorded = model.trainedOn().flatMap(DataIdentity::knownSet);
    if (recorded.isPresent()) {
      return recorded.get();
    }
    for (MnistVariant v : MnistVariant.values()) {
      if (v.classNames().equals(model.classNames())) {
        return v;
      }
    }
    throw new UserError(
        "the model's classes " + model.classNames() + " match no known data set; pass --dataset");
  }
}
