package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cache follows {@code $XDG_CACHE_HOME} and {@code $HOME} from the loader's environment
 * (before, Java's {@code user.home}, which comes from the account, was used whatever {@code $HOME}
 * said); a failed download leaves no empty cache directory behind, and one that cannot be created
 * says why.
 */
class CacheDirectoryTest {

  @TempDir Path tmp;

  private static final Path USER_HOME = Path.of(System.getProperty("user.home"));

  private MnistLoader loader(Map<String, String> environment) {
    return MnistLoader.of(MnistVariant.FASHION_MNIST)
        .environment(environment)
        .systemDirectories(List.of(tmp.resolve("system")))
        .mirrors(List.of())
        .progress(DownloadListener.NONE);
  }

  @Test
  void xdgCacheHomeComesFirstThenHomeThenUserHome() {
    Path xdg = tmp.resolve("xdg");
    Path home = tmp.resolve("home");
    assertThat(MnistLoader.defaultCacheRoot(Map.of("XDG_CACHE_HOME", xdg.toString())))
        .isEqualTo(xdg.resolve("lenet"));
    assertThat(
            MnistLoader.defaultCacheRoot(
                Map.of("XDG_CACHE_HOME", xdg.toString(), "HOME", home.toString())))
        .isEqualTo(xdg.resolve("lenet"));
    assertThat(MnistLoader.defaultCacheRoot(Map.of("HOME", home.toString())))
        .isEqualTo(home.resolve(".cache/lenet"));
    assertThat(MnistLoader.defaultCacheRoot(Map.of())).isEqualTo(USER_HOME.resolve(".cache/lenet"));
  }

  @Test
  void blankOrRelativeValuesCountAsNotSet() {
    Path home = tmp.resolve("home");
    assertThat(
            MnistLoader.defaultCacheRoot(
                Map.of("XDG_CACHE_HOME", "relative/cache", "HOME", home.toString())))
        .isEqualTo(home.resolve(".cache/lenet"));
    assertThat(MnistLoader.defaultCacheRoot(Map.of("XDG_CACHE_HOME", " ", "HOME", "")))
        .isEqualTo(USER_HOME.resolve(".cache/lenet"));
  }

  @Test
  void theLoaderFindsTheDataInTheEnvironmentsCache() throws IOException {
    Path home = tmp.resolve("home");
    Path cached = SyntheticData.write(home.resolve(".cache/lenet/fashion-mnist"), 16, 8);
    MnistLoader loader = loader(Map.of("HOME", home.toString()));
    assertThat(loader.cacheDirectory()).isEqualTo(cached);
    assertThat(loader.locate()).isEqualTo(cached);

    Path xdg = tmp.resolve("xdg");
    Path xdgCached = SyntheticData.write(xdg.resolve("lenet/fashion-mnist"), 16, 8);
    assertThat(loader(Map.of("HOME", home.toString(), "XDG_CACHE_HOME", xdg.toString())).locate())
        .isEqualTo(xdgCached);
  }

  @Test
  void aFailedDownloadRemovesTheDirectoriesItCreated() {
    Path xdg = tmp.resolve("xdg");
    Path cache = xdg.resolve("lenet/fashion-mnist");
    MnistLoader loader = loader(Map.of("XDG_CACHE_HOME", xdg.toString()));
    assertThatThrownBy(loader::locate)
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("download into " + cache + ": failed");
    assertThat(xdg).doesNotExist();
    // The next attempt says the cache does not exist, not that it lacks the files.
    assertThatThrownBy(loader::locate)
        .hasMessageContaining("the cache: " + cache + " does not exist");
  }

  @Test
  void aFailedDownloadLeavesDirectoriesThatExistedAlone() throws IOException {
    Path xdg = Files.createDirectories(tmp.resolve("xdg"));
    assertThatThrownBy(loader(Map.of("XDG_CACHE_HOME", xdg.toString()))::locate)
        .isInstanceOf(DatasetException.class);
    assertThat(xdg).isDirectory().isEmptyDirectory();
  }

  @Test
  void aCacheThatCannotBeCreatedSaysWhy() throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "not a directory");
    Path cache = file.resolve("lenet/fashion-mnist");
    assertThatThrownBy(loader(Map.of("XDG_CACHE_HOME", file.toString()))::locate)
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("cannot create " + cache + ": not a directory\n");
    assertThat(file).isRegularFile();
  }

  /** Under /proc nothing can be created: Java says only "NoSuchFileException: /proc/.cache". */
  @Test
  void aCacheUnderProcSaysItCannotBeCreatedThere() {
    assumeTrue(Files.isDirectory(Path.of("/proc/self")), "Linux's /proc");
    Path cache = Path.of("/proc/.cache/lenet/fashion-mnist");
    assertThatThrownBy(loader(Map.of("HOME", "/proc"))::locate)
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(
            "cannot create "
                + cache
                + ": no such file or directory (or it cannot be created there)");
  }
}
