package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lenet.api.io.FileErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * A run's {@code metrics.json}, as {@code lenet train}'s recorder writes it, read with the server's
 * care: not through a symbolic link, not when larger than {@link #MAX_BYTES}. One reader for the
 * runs view and the models' test accuracy.
 */
final class MetricsFile {

  static final String NAME = "metrics.json";

  /** The largest metrics.json read: far above any real run's (a few kB per hundred epochs). */
  static final long MAX_BYTES = 16L << 20;

  private MetricsFile() {}

  /**
   * The run directory {@code dir}'s metrics.json as a tree, or an empty object when there is none
   * (before the first epoch).
   *
   * @throws Unreadable saying why, when the file is there but cannot be used
   */
  static JsonNode read(Path dir, ObjectMapper json) {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return json.createObjectNode();
    }
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new Unreadable(NAME + " is not a regular file");
    }
    try {
      long size = Files.size(file);
      if (size > MAX_BYTES) {
        throw new Unreadable(NAME + " is " + size + " bytes, over the limit of " + MAX_BYTES);
      }
      JsonNode tree = json.readTree(Files.readAllBytes(file));
      if (tree == null || !tree.isObject()) {
        throw new Unreadable(NAME + " does not hold a JSON object");
      }
      return tree;
    } catch (JsonProcessingException e) {
      throw new Unreadable(NAME + " does not parse: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new Unreadable("cannot read " + NAME + ": " + FileErrors.reason(e));
    }
  }

  /** A metrics.json that is there but cannot be used; the message says why. */
  static final class Unreadable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unreadable(String message) {
      super(message);
    }
  }
}
