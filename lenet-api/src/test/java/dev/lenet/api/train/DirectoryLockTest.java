package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One owner per directory; a lock file that nothing locks any more does not block. */
class DirectoryLockTest {

  @TempDir Path dir;

  @Test
  void aSecondLockOnTheSameDirectoryIsRefusedNamingIt() throws IOException {
    try (DirectoryLock first = DirectoryLock.acquire(dir)) {
      assertThat(first.directory()).isEqualTo(dir);
      assertThatThrownBy(() -> DirectoryLock.acquire(dir))
          .isInstanceOf(DirectoryInUseException.class)
          .hasMessage(
              dir
                  + " is in use by another run in this process (it holds "
                  + dir.resolve(".lock")
                  + "); wait for that run to end or choose another directory")
          .extracting(e -> ((DirectoryInUseException) e).directory())
          .isEqualTo(dir);
      assertThat(Files.readString(dir.resolve(DirectoryLock.FILE)).trim())
          .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aReleasedLockCanBeTakenAgain() throws IOException {
    DirectoryLock.acquire(dir).close();
    assertThat(dir.resolve(DirectoryLock.FILE)).exists();
    try (DirectoryLock again = DirectoryLock.acquire(dir)) {
      assertThat(again.directory()).isEqualTo(dir);
    }
  }

  /** What a process killed with kill -9 leaves: the file, with its id, and no lock on it. */
  @Test
  void aLockFileLeftByADeadProcessDoesNotBlock() throws IOException {
    Files.writeString(dir.resolve(DirectoryLock.FILE), "999999\n");
    try (DirectoryLock taken = DirectoryLock.acquire(dir)) {
      assertThat(taken.directory()).isEqualTo(dir);
      assertThat(Files.readString(dir.resolve(DirectoryLock.FILE)).trim())
          .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
    }
  }

  @Test
  void aMissingDirectoryIsAnIoError() {
    assertThatThrownBy(() -> DirectoryLock.acquire(dir.resolve("missing")))
        .isInstanceOf(IOException.class);
  }
}
