package dev.lenet.api.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ownership of a directory by one run at a time: an operating-system lock ({@link
 * FileChannel#tryLock()}) on the file {@value #FILE} inside it, held until {@link #close()}.
 *
 * <p>The kernel drops the lock when the process ends, however it ends, so a run killed with {@code
 * kill -9} leaves a lock file that no longer locks anything and the next run (or a resume) takes it
 * over. The file stays behind after {@link #close()} (removing it would let a third process lock a
 * new file while a second still holds the old one); it holds the last owner's process id, for
 * messages only. A second lock on the same directory fails in the same process too, without
 * touching the file. The lock is advisory: it keeps out other lenet runs, not other programs. Do
 * not open the lock file while holding the lock: closing any descriptor of it in this process
 * releases the process's lock (POSIX record locks).
 */
public final class DirectoryLock implements AutoCloseable {

  /** The lock file's name inside the locked directory. */
  public static final String FILE = ".lock";

  private final Path directory;
  private final FileChannel channel;
  private final FileLock lock;
  private final Path key;

  /** The real paths of the lock files this process holds. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

  private DirectoryLock(Path directory, FileChannel channel, FileLock lock, Path key) {
    this.directory = directory;
    this.channel = channel;
    this.lock = lock;
    this.key = key;
  }

  /**
   * Locks {@code directory}, which must exist.
   *
   * @throws DirectoryInUseException if another run, in any process, holds it
   * @throws IOException if the lock file cannot be created or locked
   */
  public static DirectoryLock acquire(Path directory) throws IOException {
    Path file = directory.resolve(FILE);
    // Checked before the file is opened: closing any descriptor of a locked file drops this
    // process's lock on it (POSIX record locks), so a second acquire in this process must never
    // open the file, or a failed one would release the first holder's lock.
    Path key = directory.toRealPath().resolve(FILE);
    if (!HELD.add(key)) {
      throw inUse(directory, "another run in this process");
    }
    try {
      return lock(directory, file, key);
    } catch (IOException | RuntimeException e) {
      HELD.remove(key);
      throw e;
    }
  }

  private static DirectoryLock lock(Path directory, Path file, Path key) throws IOException {
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      // Held through another path to the same file that toRealPath could not tell apart.
      channel.close();
      throw inUse(directory, "another run in this process");
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      String holder = holder(channel);
      channel.close();
      throw inUse(directory, holder.isEmpty() ? "another process" : "process " + holder);
    }
    try {
      channel.truncate(0);
      channel.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    return new DirectoryLock(directory, channel, lock, key);
  }

  /** The locked directory. */
  public Path directory() {
    return directory;
  }

  /** Releases the lock (the file stays). */
  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      try {
        channel.close();
      } finally {
        HELD.remove(key);
      }
    }
  }

  private static DirectoryInUseException inUse(Path directory, String holder) {
    return new DirectoryInUseException(
        directory,
        directory
            + " is in use by "
            + holder
            + " (it holds "
            + directory.resolve(FILE)
            + "); wait for that run to end or choose another directory");
  }

  /** The process id the holder wrote, or empty if it cannot be read. */
  private static String holder(FileChannel channel) {
    try {
      ByteBuffer buf = ByteBuffer.allocate(32);
      channel.read(buf, 0);
      String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).trim();
      return text.matches("\\d+") ? text : "";
    } catch (IOException e) {
      return "";
    }
  }
}
