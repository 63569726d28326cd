package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory the caller names ({@code directory(...)} or {@code $LENET_DATA}) is the only
 * place looked at: a complete set elsewhere in the search order must never stand in for it.
 */
class NamedDataDirectoryTest {

  @TempDir Path tmp;

  /** A loader whose cache and system location both hold a complete (other) data set. */
  private MnistLoader loader() {
    IdxFixtures.dataset(tmp.resolve("cache/fashion-mnist"), 13, 5, 4);
    IdxFixtures.dataset(tmp.resolve("system"), 14, 5, 4);
    return MnistLoader.of(MnistVariant.FASHION_MNIST)
        .environment(Map.of())
        .cacheRoot(tmp.resolve("cache"))
        .systemDirectories(List.of(tmp.resolve("system")))
        .mirrors(List.of())
        .progress(DownloadListener.NONE);
  }

  private static Map<String, String> env(Path dir) {
    return Map.of(MnistLoader.DATA_ENV, dir.toString());
  }

  @Test
  void aMissingDirectoryIsAnErrorNamingIt() {
    Path missing = tmp.resolve("no-such-dir");
    assertThatThrownBy(() -> loader().directory(missing).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(missing + " (the directory given) does not exist")
        .hasMessageContaining("train-images-idx3-ubyte")
        .hasMessageNotContaining("\n");
    assertThatThrownBy(() -> loader().environment(env(missing)).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(missing + " ($LENET_DATA) does not exist");
  }

  @Test
  void aFileIsNotADirectory() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file"), "not data");
    assertThatThrownBy(() -> loader().directory(file).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + " (the directory given) is not a directory");
    assertThatThrownBy(() -> loader().environment(env(file)).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + " ($LENET_DATA) is not a directory");
  }

  @Test
  void anEmptyDirectoryListsAllFourFiles() throws IOException {
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertThatThrownBy(() -> loader().directory(empty).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(
            empty
                + " (the directory given) lacks train-images-idx3-ubyte[.gz],"
                + " train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz],"
                + " t10k-labels-idx1-ubyte[.gz]");
  }

  @Test
  void threeOfFourFilesNameTheMissingOne() throws IOException {
    Path three = IdxFixtures.dataset(tmp.resolve("three"), 11, 5, 4);
    Files.delete(three.resolve(MnistFiles.TEST_LABELS));
    assertThatThrownBy(() -> loader().directory(three).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(three + " (the directory given) lacks t10k-labels-idx1-ubyte[.gz]:")
        .hasMessageContaining("used alone");
    assertThatThrownBy(() -> loader().environment(env(three)).load())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(three + " ($LENET_DATA) lacks t10k-labels-idx1-ubyte[.gz]:");
  }

  @Test
  void theGivenDirectoryWinsOverTheEnvironmentEvenWhenIncomplete() throws IOException {
    Path given = Files.createDirectories(tmp.resolve("given"));
    Path good = IdxFixtures.dataset(tmp.resolve("env"), 12, 5, 4);
    assertThatThrownBy(() -> loader().directory(given).environment(env(good)).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(given + " (the directory given) lacks");
  }

  @Test
  void aCompleteNamedDirectoryIsUsed() {
    Path given = IdxFixtures.dataset(tmp.resolve("given"), 11, 5, 4);
    Path env = IdxFixtures.dataset(tmp.resolve("env"), 12, 5, 4);
    assertThat(loader().directory(given).environment(env(env)).load().train().size()).isEqualTo(11);
    assertThat(loader().environment(env(env)).load().train().size()).isEqualTo(12);
  }

  @Test
  void aBlankEnvironmentValueCountsAsNotSet() {
    assertThat(loader().environment(Map.of(MnistLoader.DATA_ENV, "")).locate())
        .isEqualTo(tmp.resolve("cache/fashion-mnist"));
  }
}
