package dev.lenet.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loaded data knows which data set it is: the SHA-256 of each file's content, and the known set
 * (Fashion-MNIST, MNIST) its files were recognised as by their checksums.
 */
class DataIdentityTest {

  @TempDir Path tmp;

  /** SHA-256 of a file's content, gunzipped if it is gzipped: what `zcat | sha256sum` prints. */
  static String contentSha256(Path file) throws Exception {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    try (InputStream raw = Files.newInputStream(file);
        InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
      digest.update(in.readAllBytes());
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  @Test
  void syntheticDataIsUnrecognisedWithTheChecksumsOfItsContent() throws Exception {
    Path dir = SyntheticData.write(tmp.resolve("synthetic"), 64, 16);
    DataIdentity id = FashionMnist.load(dir).identity();
    assertThat(id.name()).isNull();
    assertThat(id.knownSet()).isEmpty();
    assertThat(id.describe()).startsWith("unrecognised data (train images SHA-256 ");
    assertThat(id.sha256().keySet()).containsExactlyInAnyOrderElementsOf(MnistFiles.NAMES);
    for (String name : MnistFiles.NAMES) {
      assertThat(id.sha256().get(name))
          .as(name)
          .isEqualTo(contentSha256(dir.resolve(name + ".gz")));
    }
  }

  @Test
  void theSameContentGzippedOrNotHasTheSameIdentity() throws Exception {
    Path gz = SyntheticData.write(tmp.resolve("gz"), 32, 8);
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    for (String name : MnistFiles.NAMES) {
      try (InputStream in = new GZIPInputStream(Files.newInputStream(gz.resolve(name + ".gz")))) {
        Files.write(plain.resolve(name), in.readAllBytes());
      }
    }
    assertThat(FashionMnist.load(plain).identity()).isEqualTo(FashionMnist.load(gz).identity());
  }

  @Test
  void realFashionMnistIsRecognised() throws Exception {
    Path dir = RealData.fashionMnist();
    DataIdentity id = FashionMnist.load(dir).identity();
    assertThat(id.name()).isEqualTo("fashion-mnist");
    assertThat(id.knownSet()).contains(MnistVariant.FASHION_MNIST);
    assertThat(id.sha256().get(MnistFiles.TRAIN_IMAGES))
        .isEqualTo(contentSha256(dir.resolve(MnistFiles.TRAIN_IMAGES + ".gz")))
        .isEqualTo("c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888");
  }

  @Test
  void fashionMnistLoadedAsMnistIsRefusedNamingBoth() {
    Path dir = RealData.fashionMnist();
    assertThatThrownBy(() -> Mnist.load(dir))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            dir
                + " holds fashion-mnist (recognised by the checksums of its files), not mnist:"
                + " load it as fashion-mnist (--dataset fashion-mnist)");
  }

  @Test
  void filesAreRecognisedByThePublishedMd5OfTheirDownloads() throws IOException {
    // A copy whose content differs cannot be made to match a published MD5; what can be checked
    // here is the rule: every file must be a .gz with its set's published MD5.
    Path dir = SyntheticData.write(tmp.resolve("synthetic"), 16, 8);
    Map<String, Path> files = new java.util.HashMap<>();
    for (String name : MnistFiles.NAMES) {
      files.put(name, dir.resolve(name + ".gz"));
    }
    Map<String, String> noContentMatch = Map.of();
    for (MnistVariant v : MnistVariant.values()) {
      assertThat(v.recognises(files, noContentMatch)).as(v.id()).isFalse();
    }
    assertThat(MnistFiles.md5(dir.resolve(MnistFiles.TRAIN_LABELS + ".gz"))).hasSize(32);
  }

  @Test
  void realFashionMnistMatchesByContentThoughDebiansGzipDiffersFromTheDownload() {
    Path dir = RealData.fashionMnist();
    Path labels = dir.resolve(MnistFiles.TRAIN_LABELS + ".gz");
    // Debian's package recompressed the files without their names: other MD5, same content.
    assertThat(MnistFiles.md5(labels))
        .isNotEqualTo(MnistVariant.FASHION_MNIST.md5(MnistFiles.TRAIN_LABELS));
    assertThat(MnistFiles.read(dir, MnistVariant.MNIST).identity().name())
        .isEqualTo("fashion-mnist");
  }

  @Test
  void onlyTwoDifferentKnownSetsContradictEachOther() {
    DataIdentity fashion = new DataIdentity("fashion-mnist", Map.of());
    DataIdentity mnist = new DataIdentity("mnist", Map.of());
    DataIdentity unknown = new DataIdentity(null, Map.of(MnistFiles.TRAIN_IMAGES, "ab".repeat(32)));
    assertThat(fashion.isOtherKnownSetThan(mnist)).isTrue();
    assertThat(mnist.isOtherKnownSetThan(fashion)).isTrue();
    assertThat(fashion.isOtherKnownSetThan(fashion)).isFalse();
    for (DataIdentity other : List.of(fashion, mnist)) {
      assertThat(unknown.isOtherKnownSetThan(other)).isFalse();
      assertThat(other.isOtherKnownSetThan(unknown)).isFalse();
      assertThat(other.isOtherKnownSetThan(null)).isFalse();
    }
    assertThat(unknown.describe())
        .isEqualTo("unrecognised data (train images SHA-256 abababababab...)");
  }
}
