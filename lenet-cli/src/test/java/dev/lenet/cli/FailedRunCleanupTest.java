package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.train.DirectoryLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a command that fails early removes: its own directories and lock files, nothing else. */
class FailedRunCleanupTest {

  @TempDir Path tmp;

  /**
   * Two runs started into one new parent ({@code runs/} in a fresh clone): the one that fails
   * removes its own directory, not the parent holding the other run's.
   */
  @Test
  void aFailedRunLeavesAnotherRunUnderTheParentItCreated() throws IOException {
    Path parent = tmp.resolve("runs");
    Path mine = parent.resolve("a");
    Path made = Directories.firstMissing(mine);
    assertThat(made).isEqualTo(parent.toAbsolutePath());
    Files.createDirectories(mine.resolve(RunDirectory.CHECKPOINTS));
    Files.writeString(mine.resolve(DirectoryLock.FILE), "1\n");
    Path theirs = Files.createDirectories(parent.resolve("b").resolve(RunDirectory.CHECKPOINTS));
    try (DirectoryLock held = DirectoryLock.acquire(theirs.getParent())) {
      RunDirectory.removeFailed(mine, made);
      assertThat(held.directory()).isDirectory();
      assertThat(mine).doesNotExist();
      assertThat(theirs.getParent().resolve(DirectoryLock.FILE)).isRegularFile();
      assertThat(theirs).isDirectory();
    }
  }

  @Test
  void aRunThatGotFurtherIsKept() throws IOException {
    Path dir = tmp.resolve("run");
    Path made = Directories.firstMissing(dir);
    Path checkpoint = Files.createDirectories(dir.resolve(RunDirectory.CHECKPOINTS).resolve("e1"));
    Files.writeString(dir.resolve(DirectoryLock.FILE), "1\n");
    RunDirectory.removeFailed(dir, made);
    assertThat(checkpoint).isDirectory();
    assertThat(dir.resolve(DirectoryLock.FILE)).isRegularFile();
  }

  @Test
  void emptyParentsItCreatedGoToo() throws IOException {
    Path dir = tmp.resolve("x/y/z");
    Path made = Directories.firstMissing(dir);
    Files.createDirectories(dir);
    Files.writeString(dir.resolve(DirectoryLock.FILE), "1\n");
    RunDirectory.removeFailed(dir, made);
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThat(tmp).isDirectory();
  }
}
