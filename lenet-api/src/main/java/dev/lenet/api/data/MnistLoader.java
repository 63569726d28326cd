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
 * Finds and loads an MNIST-format data set. A directory that the caller names, with {@link
 * #directory(Path)} or else in the environment variable {@value #DATA_ENV}, is the only place
 * looked at: if it does not exist or lacks any of the four files (each plain or {@code .gz}), the
 * load fails naming it and the missing files. Only when nothing is named are the files looked for,
 * in this order:
 *
 * <ol>
 *   <li>the user cache, {@code <cache>/lenet/<data set>}, where {@code <cache>} is {@value
 *       #CACHE_ENV} if set, else {@code $HOME/.cache}, else {@code .cache} in Java's {@code
 *       user.home} (the variables read from {@link #environment(Map)}; see {@link
 *       #defaultCacheRoot(Map)});
 *   <li>where system packages put them ({@code /usr/share/datasets/fashion-mnist} for Debian's
 *       {@code dataset-fashion-mnist});
 *   <li>otherwise they are downloaded from the mirrors into the cache, each file checked against
 *       its published MD5 before it is renamed into place; a download that fails leaves no partial
 *       file, and removes the directories it created if they are still empty.
 * </ol>
 *
 * When all of that fails, the {@link DatasetException} lists every place looked at and how to get
 * the data. A loader is a mutable builder; {@link #load()} may be called many times.
 */
public final class MnistLoader {

  /** The environment variable naming a directory with the files. */
  public static final String DATA_ENV = "LENET_DATA";

  /** The environment variable naming the user's cache directory (the XDG base directory one). */
  public static final String CACHE_ENV = "XDG_CACHE_HOME";

  /** The environment variable naming the user's home directory. */
  public static final String HOME_ENV = "HOME";

  /** How long a download may wait to connect, or for the next bytes. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final MnistVariant variant;
  private Path directory;
  private Map<String, String> environment = System.getenv();
  private Path cacheRoot;
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

  /**
   * The directory holding the files (null: none named). A named directory is authoritative: it is
   * used alone, never replaced by the search order.
   */
  public MnistLoader directory(Path dir) {
    this.directory = dir;
    return this;
  }

  /**
   * The environment consulted for {@value #DATA_ENV} when no {@link #directory(Path)} is named, and
   * for {@value #CACHE_ENV} and {@value #HOME_ENV} when no {@link #cacheRoot(Path)} is set
   * (default: the process's). A blank value counts as not set.
   */
  public MnistLoader environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  /**
   * The cache root; the data set lives in {@code root/<id>} (default: {@link
   * #defaultCacheRoot(Map)} of the loader's environment).
   */
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
    return (cacheRoot != null ? cacheRoot : defaultCacheRoot(environment)).resolve(variant.id());
  }

  /**
   * The cache root for {@code environment}: {@code $XDG_CACHE_HOME/lenet} if that is set, else
   * {@code $HOME/.cache/lenet}, else {@code .cache/lenet} in Java's {@code user.home} (which comes
   * from the account, not from {@code $HOME}). Blank or relative values count as not set, as the
   * XDG base directory specification asks.
   */
  public static Path defaultCacheRoot(Map<String, String> environment) {
    Path xdg = absolute(environment.get(CACHE_ENV));
    if (xdg != null) {
      return xdg.resolve("lenet");
    }
    Path home = absolute(environment.get(HOME_ENV));
    if (home == null) {
      home = Path.of(System.getProperty("user.home"));
    }
    return home.resolve(".cache").resolve("lenet");
  }

  private static Path absolute(String value) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      Path path = Path.of(value);
      return path.isAbsolute() ? path : null;
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  /**
   * The directory holding all four files: the one named, or else the first complete one in the
   * search order, downloading the files if allowed and needed.
   *
   * @throws DatasetException if a named directory is missing or incomplete (naming it and the
   *     missing files), or if the search finds nothing (listing every place looked at and how to
   *     get the data)
   */
  public Path locate() {
    if (directory != null) {
      return named("the directory given", directory);
    }
    String env = environment.get(DATA_ENV);
    if (env != null && !env.isBlank()) {
      return named("$" + DATA_ENV, Path.of(env));
    }
    List<String> looked = new ArrayList<>();
    looked.add("the directory given: none");
    looked.add("$" + DATA_ENV + ": not set");
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
   * Finds the data (see {@link #locate()}) and reads the training and test sets, with their {@link
   * TrainingData#identity()}.
   *
   * @throws DatasetException if the data cannot be found, a file is corrupt (naming it), or the
   *     files are recognised as another known set than this loader's (naming both)
   */
  public TrainingData load() {
    Path dir = locate();
    TrainingData data = MnistFiles.read(dir, variant);
    data.identity().requireKnownAs(variant, dir);
    return data;
  }

  /** {@code dir} if it holds the four files, else an error naming it and what it lacks. */
  private Path named(String what, Path dir) {
    String problem = problem(dir);
    if (problem == null) {
      return dir;
    }
    throw new DatasetException(
        dir
            + " ("
            + what
            + ") "
            + problem
            + ": a named data directory must hold the four "
            + variant.id()
            + " files "
            + String.join(", ", MnistFiles.NAMES)
            + " (each .gz or not); it is used alone, without the cache, system location or"
            + " download");
  }

  private static boolean check(String what, Path dir, List<String> looked) {
    String problem = problem(dir);
    if (problem == null) {
      return true;
    }
    looked.add(what + ": " + dir + " " + problem);
    return false;
  }

  /** What keeps {@code dir} from being a data directory, or null if it holds all four files. */
  private static String problem(Path dir) {
    if (!Files.isDirectory(dir)) {
      return Files.exists(dir) ? "is not a directory" : "does not exist";
    }
    List<String> missing = new ArrayList<>();
    for (String name : MnistFiles.NAMES) {
      if (MnistFiles.find(dir, name).isEmpty()) {
        missing.add(name + "[.gz]");
      }
    }
    return missing.isEmpty() ? null : "lacks " + String.join(", ", missing);
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
