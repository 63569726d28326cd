package dev.lenet.cli;

import dev.lenet.api.data.DownloadListener;
import dev.lenet.api.data.MnistFiles;
import dev.lenet.api.data.MnistLoader;
import dev.lenet.api.data.MnistVariant;
import dev.lenet.api.data.TrainingData;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Where the data comes from: shared by train and evaluate. {@code --data DIR}, or else {@code
 * $LENET_DATA} (read from {@link Lenet#environment}), names the one directory used; only when
 * neither is given does the loader search the cache and the system location, then download.
 */
final class DataOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec mixee;

  @Option(
      names = "--dataset",
      paramLabel = "NAME",
      description = "fashion-mnist or mnist (default: ${DEFAULT-VALUE}; evaluate: the model's).",
      defaultValue = "fashion-mnist",
      converter = VariantConverter.class)
  MnistVariant dataset;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      // A line each for the paths: help wraps after a '.', which would break "~/.cache".
      description = {
        "Directory with the four IDX files (.gz or not), used alone: if it lacks one, that is an"
            + " error. Default: $LENET_DATA if set, else the first to hold them of",
        "  $XDG_CACHE_HOME/lenet/<dataset> (if set, else",
        "  ~/.cache/lenet/<dataset>),",
        "  /usr/share/datasets/<dataset>,",
        "  then a download into the cache."
      })
  Path data;

  /** The directory the data was read from, once {@link #load()} or {@link #read()} has run. */
  Path located;

  /**
   * Finds and loads the data; downloads report progress on standard error. Files recognised as
   * another known set than {@code --dataset} are refused, naming both.
   */
  TrainingData load() {
    TrainingData loaded = read();
    loaded.identity().requireKnownAs(dataset, located);
    return loaded;
  }

  /**
   * Finds and reads the data as {@code --dataset} without refusing another known set, for a caller
   * that checks the data against something else first (evaluate: the model's set).
   */
  TrainingData read() {
    located =
        MnistLoader.of(dataset)
            .directory(data)
            .environment(((Lenet) mixee.root().userObject()).environment)
            .progress(DownloadListener.printingTo(System.err))
            .locate();
    return MnistFiles.read(located, dataset);
  }

  /**
   * What to add to a header line naming {@code --dataset} when the data read was not recognised as
   * that published set (a subset, a modified copy, your own data): "" if it was.
   */
  String recognition(TrainingData loaded) {
    return recognised(loaded)
        ? ""
        : " (files not recognised as the published " + dataset.id() + ")";
  }

  /**
   * Whether the files' checksums are those of a published set (of {@code --dataset}, once read).
   */
  static boolean recognised(TrainingData loaded) {
    return loaded.identity() != null && loaded.identity().name() != null;
  }

  /** Parses data set names with a message listing the choices. */
  static final class VariantConverter implements picocli.CommandLine.ITypeConverter<MnistVariant> {
    @Override
    public MnistVariant convert(String value) {
      try {
        return MnistVariant.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
