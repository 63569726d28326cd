package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed download says why in words a person can act on, not just a host name. */
class DownloadFailureMessageTest {

  @TempDir Path tmp;

  /**
   * A host name with an empty label: the C library refuses it before asking any name server, so the
   * lookup fails as it does offline, without a packet leaving the machine.
   */
  private static final URI UNRESOLVABLE = URI.create("http://mirror..invalid/fashion/");

  @Test
  void anUnresolvableHostSaysUnknownHostNoNetwork() {
    MnistLoader loader =
        MnistLoader.of(MnistVariant.FASHION_MNIST)
            .environment(Map.of())
            .cacheRoot(tmp.resolve("cache"))
            .systemDirectories(List.of(tmp.resolve("system")))
            .mirrors(List.of(UNRESOLVABLE))
            .progress(DownloadListener.NONE);
    assertThatThrownBy(loader::locate)
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining(
            "http://mirror..invalid/fashion/train-images-idx3-ubyte.gz:"
                + " unknown host mirror..invalid / no network");
  }

  @Test
  void otherErrorsKeepTheirReasonAndCause() {
    assertThat(Downloader.reason(new ConnectException("Connection refused")))
        .isEqualTo("cannot connect (Connection refused) / no network or the mirror is down");
    IOException wrapped =
        new IOException("connection dropped after 10 bytes (reset)", new IOException("reset"));
    assertThat(Downloader.reason(wrapped)).isEqualTo("connection dropped after 10 bytes (reset)");
    IOException proxy = new IOException("proxy failed", new UnknownHostException("proxy.example"));
    assertThat(Downloader.reason(proxy))
        .isEqualTo("proxy failed: unknown host proxy.example / no network (or no DNS)");
    IOException bare = new IOException(new IllegalStateException("bad state"));
    assertThat(Downloader.reason(bare)).contains("bad state");
  }
}
