package dev.lenet.api.data;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which data set some data is: the known set its files were recognised as, if any, and the SHA-256
 * of each file's IDX content. A model records the identity of the data it was trained on, so that
 * it can refuse to be evaluated on another known set.
 *
 * <p>The checksums are of the decompressed content ({@code zcat FILE.gz | sha256sum}, or {@code
 * sha256sum FILE} for a plain file), so the same data gives the same identity whether it is stored
 * gzipped or not, and however it was compressed.
 *
 * @param name the known set the files were recognised as ({@code fashion-mnist}, {@code mnist}), or
 *     null if they match none (your own data, a subset, a modified copy)
 * @param sha256 lowercase hex SHA-256 of each file's content, by file name without {@code .gz}
 *     ({@link MnistFiles#NAMES})
 */
public record DataIdentity(String name, Map<String, String> sha256) {

  public DataIdentity {
    sha256 = Collections.unmodifiableMap(new TreeMap<>(sha256 == null ? Map.of() : sha256));
  }

  /** The known set these files are, if they were recognised as one. */
  public Optional<MnistVariant> knownSet() {
    return name == null ? Optional.empty() : Optional.of(MnistVariant.parse(name));
  }

  /** Whether both are recognised known sets, and different ones (Fashion-MNIST against MNIST). */
  public boolean isOtherKnownSetThan(DataIdentity other) {
    return name != null && other != null && other.name != null && !name.equals(other.name);
  }

  /** The known set's name, or "unrecognised data" with the start of its train images' SHA-256. */
  public String describe() {
    if (name != null) {
      return name;
    }
    String images = sha256.getOrDefault(MnistFiles.TRAIN_IMAGES, "");
    return "unrecognised data"
        + (images.isEmpty() ? "" : " (train images SHA-256 " + images.substring(0, 12) + "...)");
  }

  /**
   * Refuses data read as {@code variant} that was recognised as another known set: its labels would
   * be shown with the wrong class names.
   *
   * @throws DatasetException naming the directory and both sets
   */
  public void requireKnownAs(MnistVariant variant, Path dir) {
    Optional<MnistVariant> known = knownSet();
    if (known.isPresent() && known.get() != variant) {
      throw new DatasetException(
          dir
              + " holds "
              + known.get().id()
              + " (recognised by the checksums of its files), not "
              + variant.id()
              + ": load it as "
              + known.get().id()
              + " (--dataset "
              + known.get().id()
              + ")");
    }
  }
}
