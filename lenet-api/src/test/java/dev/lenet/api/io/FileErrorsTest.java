package dev.lenet.api.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File-system errors read as their reason, not as the bare path Java puts in the message. */
class FileErrorsTest {

  @TempDir Path tmp;

  @Test
  void theExceptionsClassGivesTheReason() {
    assertThat(FileErrors.reason(new NoSuchFileException("/x")))
        .isEqualTo("no such file or directory");
    assertThat(FileErrors.reason(new AccessDeniedException("/x"))).isEqualTo("permission denied");
    assertThat(FileErrors.reason(new FileSystemException("/x", null, "Read-only file system")))
        .isEqualTo("read-only file system");
    assertThat(FileErrors.reason(new IOException("Is a directory"))).isEqualTo("is a directory");
    assertThat(FileErrors.reason(new IOException("HTTP 404"))).isEqualTo("HTTP 404");
    assertThat(FileErrors.reason(new IOException())).isEqualTo("IOException");
  }

  @Test
  void creatingADirectorySaysWhatIsInTheWay() {
    assertThat(FileErrors.creatingDirectory(new FileAlreadyExistsException("/a/f")))
        .isEqualTo("/a/f exists and is not a directory");
    assertThat(FileErrors.creatingDirectory(new NoSuchFileException("/proc/.cache")))
        .isEqualTo("no such file or directory (or it cannot be created there)");
  }

  @Test
  void realFailuresReadAsTheirReason() throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "x");
    IOException underAFile = failure(() -> Files.createDirectories(file.resolve("sub")));
    assertThat(FileErrors.creatingDirectory(underAFile))
        .isIn("not a directory", file + " exists and is not a directory");
    IOException readingADirectory = failure(() -> Files.readString(tmp));
    assertThat(FileErrors.reason(readingADirectory)).isEqualTo("is a directory");
    IOException missing = failure(() -> Files.readString(tmp.resolve("missing.json")));
    assertThat(FileErrors.reason(missing)).isEqualTo("no such file or directory");
  }

  interface Io {
    void run() throws IOException;
  }

  private static IOException failure(Io io) {
    try {
      io.run();
    } catch (IOException e) {
      return e;
    }
    throw new AssertionError("no IOException");
  }
}
