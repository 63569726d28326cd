package dev.lenet.api.data;

import static dev.lenet.api.data.IdxFixtures.gzip;
import static dev.lenet.api.data.IdxFixtures.idx;
import static dev.lenet.api.data.IdxFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  @TempDir Path dir;

  @Test
  void readsUnsignedBytesPlainAndGzipDetectedByContent() {
    byte[] file = IdxFixtures.images(3, 2, 4);
    // Gzip content under a plain name, plain content under a .gz name: content decides.
    Path gz = write(dir.resolve("images"), gzip(file));
    Path plain = write(dir.resolve("images.gz"), file);
    for (Path p : new Path[] {gz, plain}) {
      IdxArray a = IdxReader.read(p);
      assertThat(a.type()).isEqualTo(IdxType.UNSIGNED_BYTE);
      assertThat(a.dims()).containsExactly(3, 2, 4);
      assertThat(a.length()).isEqualTo(24);
      assertThat(a.getDouble(5)).isEqualTo(35.0);
    }
  }

  @Test
  void unsignedBytesAbove127StayPositive() {
    IdxArray a =
        IdxReader.read(
            write(dir.resolve("u"), idx(0x08, new int[] {2}, new byte[] {(byte) 200, 1})));
    assertThat(a.getDouble(0)).isEqualTo(200.0);
  }

  @Test
  void readsTheOtherTypesBigEndian() {
    ByteBuffer b = ByteBuffer.allocate(8 * 2);
    assertThat(read(0x09, new byte[] {-5, 7}).getDouble(0)).isEqualTo(-5.0);
    b.clear().putShort((short) -300).putShort((short) 1234);
    assertThat(read(0x0B, Arrays.copyOf(b.array(), 4)).getDouble(0)).isEqualTo(-300.0);
    b.clear().putInt(-70000).putInt(123456);
    assertThat(read(0x0C, Arrays.copyOf(b.array(), 8)).getDouble(1)).isEqualTo(123456.0);
    b.clear().putFloat(1.5f).putFloat(-2.25f);
    assertThat(read(0x0D, Arrays.copyOf(b.array(), 8)).getDouble(1)).isEqualTo(-2.25);
    b.clear().putDouble(Math.PI).putDouble(-1e300);
    IdxArray d = read(0x0E, b.array());
    assertThat(d.type()).isEqualTo(IdxType.DOUBLE);
    assertThat(d.getDouble(0)).isEqualTo(Math.PI);
    assertThat(d.getDouble(1)).isEqualTo(-1e300);
  }

  private IdxArray read(int type, byte[] data) {
    int size = IdxType.ofCode(type).bytes();
    return IdxReader.read(
        write(dir.resolve("t" + type), idx(type, new int[] {data.length / size}, data)));
  }

  @Test
  void wrongMagic() {
    byte[] file = IdxFixtures.images(1, 2, 2);
    file[0] = 0x42;
    assertError(file, "not an IDX file: magic starts with 0x42 0x00");
  }

  @Test
  void unknownType() {
    assertError(idx(0x0A, new int[] {1}, new byte[] {1}), "unknown IDX element type 0x0a");
  }

  @Test
  void truncatedPlainAndGzipped() {
    byte[] file = IdxFixtures.images(10, 4, 4);
    byte[] cut = Arrays.copyOf(file, file.length - 5);
    assertError(cut, "truncated: header declares 10x4x4 unsigned bytes (160 bytes) but only 155");
    assertError(
        gzip(cut), "truncated: header declares 10x4x4 unsigned bytes (160 bytes) but only 155");
  }

  @Test
  void headerCutShort() {
    assertError(new byte[] {0, 0, 8}, "too short for an IDX header (3 bytes)");
    assertError(new byte[] {0, 0, 8, 3, 0, 0, 0, 5}, "the header ends inside the dimensions");
  }

  @Test
  void trailingGarbage() {
    byte[] file = IdxFixtures.images(2, 2, 2);
    byte[] longer = Arrays.copyOf(file, file.length + 3);
    assertError(longer, "trailing garbage");
    assertError(gzip(longer), "trailing garbage");
  }

  @Test
  void zeroAndAbsurdDimensions() {
    assertError(idx(0x08, new int[] {0, 28, 28}, new byte[0]), "dimension 0 is 0; must be > 0");
    assertError(idx(0x08, new int[] {5, -1}, new byte[0]), "dimension 1 is -1");
    assertError(idx(0x08, new int[] {}, new byte[0]), "0 dimensions declared");
    // A header asking for 2^31 * 28 * 28 bytes must fail before anything that large is allocated.
    assertError(
        gzip(idx(0x08, new int[] {Integer.MAX_VALUE, 28, 28}, new byte[16])),
        "over 1073741824 bytes");
    assertError(idx(0x0E, new int[] {100_000, 100_000}, new byte[16]), "over 1073741824 bytes");
  }

  @Test
  void gzipHeaderAsksForMoreThanTheStreamHoldsWithoutAllocatingIt() {
    // 900 MB declared, 16 bytes present: reported as truncated, not an OutOfMemoryError.
    assertError(
        gzip(idx(0x08, new int[] {900_000, 1000}, new byte[16])),
        "truncated: header declares 900000x1000 unsigned bytes (900000000 bytes) but only 16");
  }

  @Test
  void corruptGzipStream() {
    byte[] good = gzip(IdxFixtures.images(50, 8, 8));
    // Damage near the start (where the IDX header is compressed), in the middle, and the CRC.
    for (int[] range : new int[][] {{12, 30}, {good.length / 2, good.length / 2 + 8}}) {
      byte[] gz = good.clone();
      for (int i = range[0]; i < range[1]; i++) {
        gz[i] ^= 0x5A;
      }
      Path file = write(dir.resolve("corrupt-" + range[0] + ".gz"), gz);
      assertThatThrownBy(() -> IdxReader.read(file))
          .isInstanceOf(DatasetException.class)
          .hasMessageStartingWith(file + ": corrupt gzip stream");
    }
    byte[] badCrc = good.clone();
    badCrc[badCrc.length - 6] ^= 1;
    Path file = write(dir.resolve("crc.gz"), badCrc);
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + ": corrupt gzip stream");
  }

  @Test
  void missingFileAndDirectory() throws Exception {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> IdxReader.read(missing))
        .isInstanceOf(DatasetException.class)
        .hasMessage(missing + ": file not found");
    Path sub = Files.createDirectory(dir.resolve("sub"));
    assertThatThrownBy(() -> IdxReader.read(sub))
        .isInstanceOf(DatasetException.class)
        .hasMessage(sub + ": is a directory, expected an IDX file");
  }

  private void assertError(byte[] content, String expected) {
    Path file = write(dir.resolve("bad-" + Math.abs(Arrays.hashCode(content))), content);
    assertThatThrownBy(() -> IdxReader.read(file))
        .isInstanceOf(DatasetException.class)
        .hasMessageStartingWith(file + ": ")
        .hasMessageContaining(expected);
  }
}
