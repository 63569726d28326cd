package dev.lenet.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lenet.api.io.FileErrors;
import dev.lenet.api.train.DirectoryLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The run directories that {@code lenet train --out} writes, as one directory of them: which runs
 * there are, and what each holds, as JSON for the runs view.
 *
 * <p>A run is a subdirectory holding {@code metrics.json} (rewritten atomically after every epoch)
 * or the lock file {@value DirectoryLock#FILE} (taken before the first epoch). Its state is told
 * from the files: {@code running} while the process whose id the lock file holds is alive, {@code
 * finished} once {@code model/} exists (saved after the last epoch), {@code stopped} otherwise (the
 * run was killed or failed; the files cannot tell which), and {@code unreadable} when {@code
 * metrics.json} does not parse.
 *
 * <p>Run names are single path segments: letters, digits, '.', '_' and '-', starting with a letter
 * or digit. A name that is not one, or whose directory resolves (through symbolic links) outside
 * this directory, is no run: nothing outside the directory is read.
 */
final class RunsDirectory {

  /** The per-epoch metrics and recipe, as {@code lenet train}'s recorder writes them. */
  static final String METRICS_JSON = MetricsFile.NAME;

  /** The trained model, saved after the last epoch. */
  static final String MODEL = "model";

  private final Map<Path, Summary> summaries = new ConcurrentHashMap<>();

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  private final Path root;
  private final ObjectMapper json;

  RunsDirectory(Path root, ObjectMapper json) {
    this.root = root;
    this.json = json;
  }

  /** The directory's real path, checked at server start. */
  Path realRoot() {
    try {
      Path real = root.toRealPath();
      if (!Files.isDirectory(real)) {
        throw new IllegalArgumentException(
            "the runs directory " + root + " is not a directory; give the directory of runs");
      }
      return real;
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the runs directory " + root + ": " + FileErrors.reason(e), e);
    }
  }

  /** Every run, by name, as {@link #summary} answers it. */
  ArrayNode list() {
    Path real = realRoot();
    List<String> names = new ArrayList<>();
    try (Stream<Path> entries = Files.list(real)) {
      entries.map(p -> p.getFileName().toString()).sorted().forEach(names::add);
    } catch (IOException e) {
      throw new ApiException(
          500, "cannot list the runs directory " + root + ": " + FileErrors.reason(e));
    }
    ArrayNode runs = json.createArrayNode();
    Map<Path, Summary> seen = new HashMap<>();
    for (String name : names) {
      find(name)
          .filter(RunsDirectory::isRun)
          .ifPresent(
              dir -> {
                // The page polls this list: a run's metrics.json is parsed again only when its
                // stamp (file identity, time, size, live state) changed since the last list.
                Object stamp = stamp(dir);
                Summary s = summaries.get(dir);
                if (s == null || !s.stamp().equals(stamp)) {
                  s = new Summary(stamp, summary(name, dir));
                }
                seen.put(dir, s);
                runs.add(s.run().deepCopy());
              });
    }
    summaries.keySet().retainAll(seen.keySet());
    summaries.putAll(seen);
    return runs;
  }

  /** A run's summary in the list, and the stamp of the files it was read from. */
  private record Summary(Object stamp, ObjectNode run) {}

  /**
   * The directory of the run {@code name}.
   *
   * @throws ApiException 404 if there is no such run in this directory
   */
  Path require(String name) {
    return find(name)
        .filter(RunsDirectory::isRun)
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no run named \""
                        + name
                        + "\" in the runs directory; GET /api/runs lists them (names are letters,"
                        + " digits, '.', '_' and '-')"));
  }

  /** The run's directory if {@code name} is one segment naming a directory inside this one. */
  private Optional<Path> find(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty();
    }
    Path real = realRoot();
    try {
      Path dir = real.resolve(name).toRealPath();
      return Files.isDirectory(dir) && real.equals(dir.getParent())
          ? Optional.of(dir)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static boolean isRun(Path dir) {
    return Files.exists(dir.resolve(METRICS_JSON), LinkOption.NOFOLLOW_LINKS)
        || Files.exists(dir.resolve(DirectoryLock.FILE), LinkOption.NOFOLLOW_LINKS);
  }

  /** What changes when the run moves on: metrics.json's identity, time and size, and the state. */
  Object stamp(Path dir) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(
              dir.resolve(METRICS_JSON), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return List.of(
          Objects.toString(a.fileKey()), a.lastModifiedTime().toMillis(), a.size(), liveState(dir));
    } catch (IOException e) {
      return List.of("none", liveState(dir));
    }
  }

  /** The list entry: name, state, epochs done of total, the last epoch's metrics. */
  ObjectNode summary(String name, Path dir) {
    ObjectNode run = detail(name, dir);
    ObjectNode out = json.createObjectNode();
    for (String field :
        List.of("name", "state", "epochs_done", "epochs_total", "dataset", "last", "error")) {
      if (run.has(field)) {
        out.set(field, run.get(field));
      }
    }
    return out;
  }

  /**
   * The whole run: name, state, progress ({@code epochs_done} of {@code epochs_total}), dataset,
   * device, {@code recipe} (the training config), {@code execution}, {@code epochs} (per epoch:
   * epoch, loss, train_acc, test_acc, examples_per_sec, seconds) and {@code last}, the last epoch.
   */
  ObjectNode detail(String name, Path dir) {
    ObjectNode run = json.createObjectNode();
    run.put("name", name);
    run.put("state", liveState(dir));
    JsonNode metrics;
    try {
      metrics = MetricsFile.read(dir, json);
    } catch (MetricsFile.Unreadable e) {
      run.put("state", "unreadable");
      run.put("error", e.getMessage());
      return run;
    }
    JsonNode epochs = metrics.path("epochs");
    ArrayNode rows = epochs.isArray() ? (ArrayNode) epochs : json.createArrayNode();
    run.put("epochs_done", rows.size());
    JsonNode total = metrics.path("config").path("epochs");
    if (total.isInt()) {
      run.put("epochs_total", total.intValue());
    } else {
      run.putNull("epochs_total");
    }
    copyText(metrics, run, "dataset");
    copyText(metrics, run, "device");
    run.set("recipe", metrics.path("config").isObject() ? metrics.get("config") : null);
    run.set("execution", metrics.path("execution").isObject() ? metrics.get("execution") : null);
    run.set("epochs", rows);
    run.set("last", rows.isEmpty() ? null : rows.get(rows.size() - 1));
    return run;
  }

  private static void copyText(JsonNode from, ObjectNode to, String field) {
    JsonNode v = from.path(field);
    if (v.isTextual()) {
      to.put(field, v.textValue());
    } else {
      to.putNull(field);
    }
  }

  /** running, finished or stopped, from the lock file's process and the saved model. */
  private static String liveState(Path dir) {
    if (holderAlive(dir)) {
      return "running";
    }
    return Files.isDirectory(dir.resolve(MODEL), LinkOption.NOFOLLOW_LINKS)
        ? "finished"
        : "stopped";
  }

  /**
   * Whether the process whose id the lock file holds is alive. The file is only read, never locked:
   * a lock taken here, however briefly, could make a starting {@code lenet train} fail.
   */
  private static boolean holderAlive(Path dir) {
    Path lock = dir.resolve(DirectoryLock.FILE);
    try {
      if (!Files.isRegularFile(lock, LinkOption.NOFOLLOW_LINKS) || Files.size(lock) > 64) {
        return false;
      }
      String pid = Files.readString(lock, StandardCharsets.US_ASCII).trim();
      return pid.matches("[0-9]{1,18}")
          && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }
}
