package dev.lenet.cli;

import static dev.lenet.cli.CliTest.lenet;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without {@code --data} or {@code LENET_DATA}, the command line looks in the cache that {@code
 * $XDG_CACHE_HOME} or {@code $HOME} names: before, it used Java's {@code user.home} (from the
 * account) whatever {@code $HOME} said, and so trained on another copy of the data.
 */
class DataCacheCliTest {

  @TempDir Path tmp;

  @Test
  void trainReadsTheCacheUnderHome() throws IOException {
    Path home = tmp.resolve("home");
    SyntheticData.write(home.resolve(".cache/lenet/fashion-mnist"), 128, 32);
    CliTest.Result r =
        lenet(
            Map.of("HOME", home.toString()),
            "train",
            "--epochs",
            1,
            "--batch-size",
            64,
            "--out",
            tmp.resolve("run"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains(": 128 train / 32 test images");
  }

  @Test
  void trainReadsTheCacheUnderXdgCacheHome() throws IOException {
    Path xdg = tmp.resolve("xdg");
    SyntheticData.write(xdg.resolve("lenet/fashion-mnist"), 96, 16);
    CliTest.Result r =
        lenet(
            Map.of("HOME", tmp.resolve("home").toString(), "XDG_CACHE_HOME", xdg.toString()),
            "train",
            "--epochs",
            1,
            "--batch-size",
            32,
            "--out",
            tmp.resolve("run"));
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).contains(": 96 train / 16 test images");
  }
}
