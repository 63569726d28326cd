package dev.lenet.api.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
    }
    // Read after the release: closing a descriptor of the locked file would drop the lock.
    assertThat(Files.readString(dir.resolve(DirectoryLock.FILE)).trim())
        .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
  }

  /**
   * A refused second acquire in this process leaves the first one's lock in force for other
   * processes (opening and closing the file again would have dropped it).
   */
  @Test
  void aRefusedSecondAcquireKeepsTheLockAgainstOtherProcesses() throws Exception {
    try (DirectoryLock first = DirectoryLock.acquire(dir)) {
      assertThat(first.directory()).isEqualTo(dir);
      assertThatThrownBy(() -> DirectoryLock.acquire(dir))
          .isInstanceOf(DirectoryInUseException.class);
      assertThat(tryInAnotherProcess(dir))
          .startsWith("in use: " + dir + " is in use by process " + ProcessHandle.current().pid());
    }
    assertThat(tryInAnotherProcess(dir)).isEqualTo("locked");
  }

  /** What {@link OtherProcess} printed after trying to lock {@code dir}. */
  private static String tryInAnotherProcess(Path dir) throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                OtherProcess.class.getName(),
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.waitFor()).as(out).isZero();
    return out;
  }

  /** Tries the lock once from a fresh JVM and prints what happened. */
  static final class OtherProcess {
    public static void main(String[] args) throws IOException {
      try (DirectoryLock lock = DirectoryLock.acquire(Path.of(args[0]))) {
        System.out.println(lock.directory().equals(Path.of(args[0])) ? "locked" : "elsewhere");
      } catch (DirectoryInUseException e) {
        System.out.println("in use: " + e.getMessage());
      }
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
    }
    assertThat(Files.readString(dir.resolve(DirectoryLock.FILE)).trim())
        .isEqualTo(String.valueOf(ProcessHandle.current().pid()));
  }

  @Test
  void aMissingDirectoryIsAnIoError() {
    assertThatThrownBy(() -> DirectoryLock.acquire(dir.resolve("missing")))
        .isInstanceOf(IOException.class);
  }
}
