package dev.lenet.api.data;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Finds and loads an MNIST-format data set. The four files (each plain or {@code .gz}) are looked
 * for, in this order:
 *
 * <ol>
 *   <li>the directory given to {@link #directory(Path)};
 *   <li>the directory in the environment variable {@value #DATA_ENV};
 *   <li>the user cache, {@code ~/.cache/lenet/<data set>};
 *   <li>where system packages put them ({@code /usr/share/datasets/fashion-mnist} for Debian's
 *       {@code dataset-fashion-mnist});
 *   <li>otherwise they are downloaded from the mirrors into the cache, each file checked against
 *       its published MD5 before it is renamed into place.
 * </ol>
 *
 * When all of that fails, the {@link DatasetException} lists every place looked at and how to get
 * the data. A loader is a mutable builder; {@link #load()} may be called many times.
 */
public final class MnistLoader {

  /** The environment variable naming a directory with the files. */
  public static final String DATA_ENV = "LENET_DATA";

  /** How long a download may wait to connect, or for the next bytes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final MnistVariant variant;
  private Path directory;
  private Map<String, String> environment = System.getenv();
  private Path cacheRoot = Path.of(System.getProperty("user.home"), ".cache", "lenet");
  private List<Path> systemDirectories;
  private List<URI> mirrors;
  private Map<String, String> checksums;
  private boolean download = true;
  private DownloadListener listener = DownloadListener.printingTo(System.err);
  private Duration timeout = DEFAULT_TIMEOUT;

  private MnistLoader(MnistVariant variant) {
    this.variant = variant;
    this.systemDirectories = variant.systemDirectories();
    this.mirrors = variant.mirrors();
    this.checksums = new java.util.HashMap<>();
    for (String name : MnistFiles.NAMES) {
      checksums.put(name, variant.md5(name));
    }
  }

  /** A loader for {@code variant} with the default search order. */
  public static MnistLoader of(MnistVariant variant) {
    return new MnistLoader(Objects.requireNonNull(variant, "variant"));
  }

  /** Looks in {@code dir} first (null: don't). */
  public MnistLoader directory(Path dir) {
    this.directory = dir;
    return this;
  }

  /** The environment consulted for {@value #DATA_ENV} (default: the process's). */
  public MnistLoader environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /** The cache root; the data set lives in {@code root/<id>} (default {@code ~/.cache/lenet}). */
  public MnistLoader cacheRoot(Path root) {
    this.cacheRoot = Objects.requireNonNull(root, "root");
    return this;
  }

  /** Where system packages install the data (default: the variant's). */
  public MnistLoader systemDirectories(List<Path> dirs) {
    this.systemDirectories = List.copyOf(dirs);
    return this;
  }

  /** Base URLs to download from, in order (default: the variant's public mirrors). */
  public MnistLoader mirrors(List<URI> mirrors) {
    this.mirrors = List.copyOf(mirrors);
    return this;
  }

  /**
   * The MD5 each download must have, by file name without {@code .gz} (default: the published
   * ones). Only for mirrors that serve different, trusted files.
   */
  public MnistLoader checksums(Map<String, String> md5) {
    this.checksums = Map.copyOf(md5);
    return this;
  }

  /** Whether to download when the files are nowhere (default true). */
  public MnistLoader download(boolean download) {
    this.download = download;
    return this;
  }

  /** Hears download progress (default: a line every 10% on standard error). */
  public MnistLoader progress(DownloadListener listener) {
    this.listener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /** How long a download waits to connect or for more bytes. */
  public MnistLoader timeout(Duration timeout) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    return this;
  }

  /** The cache directory of this data set. */
  public Path cacheDirectory() {
    return cacheRoot.resolve(variant.id());
  }

  /**
   * The directory holding all four files, downloading them if allowed and needed.
   *
   * @throws DatasetException listing every place looked at and how to get the data
   */
  public Path locate() {
    List<String> looked = new ArrayList<>();
    if (directory != null) {
      if (check("the directory given", directory, looked)) {
        return directory;
      }
    } else {
      looked.add("the directory given: none");
    }
    String env = environment.get(DATA_ENV);
    if (env != null && !env.isBlank()) {
      if (check("$" + DATA_ENV, Path.of(env), looked)) {
        return Path.of(env);
      }
    } else {
      looked.add("$" + DATA_ENV + ": not set");
    }
    Path cache = cacheDirectory();
    if (check("the cache", cache, looked)) {
      return cache;
    }
    for (Path dir : systemDirectories) {
      if (check("the system location", dir, looked)) {
        return dir;
      }
    }
    if (download) {
      List<String> problems = new Downloader(listener, timeout).fetch(checksums, mirrors, cache);
      if (problems.isEmpty() && MnistFiles.complete(cache)) {
        return cache;
      }
      looked.add(
          "download into " + cache + ": failed:\n      " + String.join("\n      ", problems));
    } else {
      looked.add("download: turned off");
    }
    throw new DatasetException(notFound(looked, cache));
  }

  /**
   * Finds the data (see {@link #locate()}) and reads the training and test sets.
   *
   * @throws DatasetException if the data cannot be found, or a file is corrupt (naming it)
   */
  public TrainingData load() {
    return MnistFiles.read(locate(), variant);
  }

  private static boolean check(String what, Path dir, List<String> looked) {
    if (!Files.isDirectory(dir)) {
      looked.add(
          what + ": " + dir + (Files.exists(dir) ? " is not a directory" : " does not exist"));
      return false;
    }
    List<String> missing = new ArrayList<>();
    for (String name : MnistFiles.NAMES) {
      if (MnistFiles.find(dir, name).isEmpty()) {
        missing.add(name + "[.gz]");
      }
    }
    if (missing.isEmpty()) {
      return true;
    }
    looked.add(what + ": " + dir + " lacks " + String.join(", ", missing));
    return false;
  }

  private String notFound(List<String> looked, Path cache) {
    StringBuilder s = new StringBuilder();
    s.append(variant.id()).append(" not found. Looked at:\n");
    for (int i = 0; i < looked.size(); i++) {
      s.append("  ").append(i + 1).append(". ").append(looked.get(i)).append('\n');
    }
    s.append("To get it: ");
    if (variant.packageHint() != null) {
      s.append("run '").append(variant.packageHint()).append("' (Debian/Ubuntu), or ");
    }
    s.append("download these files into ")
        .append(cache)
        .append(" (or any directory given with --data or $")
        .append(DATA_ENV)
        .append("):");
    URI first = variant.mirrors().get(0);
    for (String name : MnistFiles.NAMES) {
      s.append("\n  ").append(first.resolve(name + ".gz"));
    }
    return s.toString();
  }
}
