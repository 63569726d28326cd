package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistLoaderTest {

  @TempDir Path tmp;

  private HttpServer server;

  /** What the server does per path: serve bytes, or a behaviour for failures. */
  private final Map<String, byte[]> files = new ConcurrentHashMap<>();

  private final Map<String, String> dropAfterHalf = new ConcurrentHashMap<>();

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::serve);
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private void serve(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    byte[] body = files.get(path);
    if (body == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(200, body.length);
    OutputStream out = exchange.getResponseBody();
    if (dropAfterHalf.containsKey(path)) {
      out.write(body, 0, body.length / 2);
      out.flush();
      // Closing with bytes still owed drops the connection mid-file.
      exchange.close();
      return;
    }
    out.write(body);
    exchange.close();
  }

  private URI mirror(String name) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/");
  }

  /** Publishes a valid data set under /name/ and returns the MD5s of its files. */
  private Map<String, String> publish(String name) throws Exception {
    Path source = IdxFixtures.dataset(tmp.resolve("source-" + name), 20, 8, 4);
    Map<String, String> md5 = new java.util.HashMap<>();
    for (String file : MnistFiles.NAMES) {
      Path p = MnistFiles.find(source, file).orElseThrow();
      byte[] bytes = Files.readAllBytes(p);
      if (!p.toString().endsWith(".gz")) {
        bytes = IdxFixtures.gzip(bytes);
      }
      files.put("/" + name + "/" + file + ".gz", bytes);
      md5.put(file, HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
    }
    return md5;
  }

  private MnistLoader loader() {
    return MnistLoader.of(MnistVariant.FASHION_MNIST)
        .environment(Map.of())
        .cacheRoot(tmp.resolve("cache"))
        .systemDirectories(List.of(tmp.resolve("system")))
        .mirrors(List.of())
        .progress(DownloadListener.NONE);
  }

  private static List<String> listing(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void searchOrderIsGivenDirectoryEnvironmentCacheSystem() {
    Path given = IdxFixtures.dataset(tmp.resolve("given"), 11, 5, 4);
    Path env = IdxFixtures.dataset(tmp.resolve("env"), 12, 5, 4);
    Path cache = IdxFixtures.dataset(tmp.resolve("cache/fashion-mnist"), 13, 5, 4);
    Path system = IdxFixtures.dataset(tmp.resolve("system"), 14, 5, 4);
    Map<String, String> environment = Map.of(MnistLoader.DATA_ENV, env.toString());

    assertThat(loader().directory(given).environment(environment).locate()).isEqualTo(given);
    assertThat(loader().environment(environment).locate()).isEqualTo(env);
    assertThat(loader().locate()).isEqualTo(cache);
    assertThat(loader().cacheRoot(tmp.resolve("elsewhere")).locate()).isEqualTo(system);
    assertThat(loader().directory(given).load().train().size()).isEqualTo(11);
  }

  @Test
  void anIncompleteSearchedDirectoryIsPassedOver() throws IOException {
    Path cache = IdxFixtures.dataset(tmp.resolve("cache/fashion-mnist"), 11, 5, 4);
    Files.delete(cache.resolve(MnistFiles.TEST_LABELS));
    Path system = IdxFixtures.dataset(tmp.resolve("system"), 14, 5, 4);
    assertThat(loader().locate()).isEqualTo(system);
  }

  @Test
  void nothingFoundListsEveryPlaceAndHowToGetTheData() throws IOException {
    Files.createDirectories(tmp.resolve("cache/fashion-mnist"));
    assertThatThrownBy(
            () -> loader().environment(Map.of(MnistLoader.DATA_ENV, " ")).download(false).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("fashion-mnist not found")
        .hasMessageContaining("1. the directory given: none")
        .hasMessageContaining("2. $LENET_DATA: not set")
        .hasMessageContaining(
            "3. the cache: "
                + tmp.resolve("cache/fashion-mnist")
                + " lacks train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz]")
        .hasMessageContaining("4. the system location: " + tmp.resolve("system"))
        .hasMessageContaining("5. download: turned off")
        .hasMessageContaining("apt-get install dataset-fashion-mnist")
        .hasMessageContaining("train-images-idx3-ubyte.gz");
  }

  @Test
  void downloadsVerifiesAndCachesOnlyGoodFiles() throws Exception {
    Map<String, String> md5 = publish("good");
    List<URI> seen = new java.util.ArrayList<>();
    TrainingData data =
        loader()
            .mirrors(List.of(mirror("missing"), mirror("good")))
            .checksums(md5)
            .progress((source, bytes, total) -> seen.add(source))
            .load();
    assertThat(data.train().size()).isEqualTo(20);
    assertThat(data.test().size()).isEqualTo(8);
    assertThat(listing(tmp.resolve("cache/fashion-mnist")))
        .containsExactly(
            "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz",
            "train-images-idx3-ubyte.gz",
            "train-labels-idx1-ubyte.gz");
    assertThat(seen).isNotEmpty().allMatch(u -> u.getPath().startsWith("/good/"));
  }

  @Test
  void checksumMismatchLeavesNothingInTheCache() throws Exception {
    Map<String, String> md5 = new java.util.HashMap<>(publish("good"));
    md5.put(MnistFiles.TRAIN_LABELS, "00000000000000000000000000000000");
    assertThatThrownBy(() -> loader().mirrors(List.of(mirror("good"))).checksums(md5).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train-labels-idx1-ubyte.gz: checksum mismatch")
        .hasMessageContaining("expected 00000000000000000000000000000000");
    // The file before it was verified and kept; the bad one and any partial file are gone.
    assertThat(listing(tmp.resolve("cache/fashion-mnist")))
        .containsExactly("train-images-idx3-ubyte.gz");
  }

  @Test
  void aConnectionDroppedMidFileLeavesNoPartialFile() throws Exception {
    Map<String, String> md5 = publish("good");
    dropAfterHalf.put("/good/train-images-idx3-ubyte.gz", "yes");
    assertThatThrownBy(() -> loader().mirrors(List.of(mirror("good"))).checksums(md5).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("train-images-idx3-ubyte.gz: connection dropped");
    assertThat(listing(tmp.resolve("cache/fashion-mnist"))).isEmpty();

    // A later attempt that succeeds completes the cache.
    dropAfterHalf.clear();
    assertThat(loader().mirrors(List.of(mirror("good"))).checksums(md5).load().train().size())
        .isEqualTo(20);
  }

  @Test
  void notFoundOnEveryMirror() {
    assertThatThrownBy(() -> loader().mirrors(List.of(mirror("nothing"))).locate())
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("5. download into " + tmp.resolve("cache/fashion-mnist") + ": failed")
        .hasMessageContaining("/nothing/train-images-idx3-ubyte.gz: HTTP 404");
  }
}
