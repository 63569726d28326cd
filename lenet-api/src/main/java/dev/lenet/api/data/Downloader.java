package dev.lenet.api.data;

import dev.lenet.api.io.FileErrors;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Downloads the four {@code .gz} files of a data set into a directory. Each file goes to a
 * temporary file beside its target, is checked against its published MD5 and only then renamed into
 * place, so the directory never holds a partial or unverified file.
 */
final class Downloader {

  private final DownloadListener listener;
  private final Duration timeout;

  Downloader(DownloadListener listener, Duration timeout) {
    this.listener = listener;
    this.timeout = timeout;
  }

  /**
   * Makes {@code dir} hold all four files, fetching those missing.
   *
   * @param md5 the expected MD5 of each {@code .gz} download, by file name without {@code .gz}
   * @return problems met, one line per failed attempt; empty when every file is in place
   */
  List<String> fetch(Map<String, String> md5, List<URI> mirrors, Path dir) {
    List<Path> created = missingAncestors(dir);
    List<String> problems = download(md5, mirrors, dir);
    if (!problems.isEmpty()) {
      removeEmpty(created);
    }
    return problems;
  }

  private List<String> download(Map<String, String> md5, List<URI> mirrors, Path dir) {
    List<String> problems = new ArrayList<>();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      problems.add("cannot create " + dir + ": " + FileErrors.creatingDirectory(e));
      return problems;
    }
    for (String name : MnistFiles.NAMES) {
      if (MnistFiles.find(dir, name).isPresent()) {
        continue;
      }
      String file = name + ".gz";
      boolean done = false;
      List<String> attempts = new ArrayList<>();
      for (URI mirror : mirrors) {
        URI source = mirror.resolve(file);
        try {
          download(source, dir.resolve(file), md5.get(name));
          done = true;
          break;
        } catch (IOException e) {
          attempts.add(source + ": " + reason(e));
        }
      }
      if (!done) {
        problems.addAll(attempts);
        if (mirrors.isEmpty()) {
          problems.add("no mirrors configured");
        }
        return problems;
      }
    }
    return problems;
  }

  /** {@code dir} and those of its parents that do not exist yet, deepest first. */
  private static List<Path> missingAncestors(Path dir) {
    List<Path> missing = new ArrayList<>();
    for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
      missing.add(p);
    }
    return missing;
  }

  /**
   * Removes the directories a failed download created, deepest first, as long as they are empty:
   * the next search then reports the cache as missing, not as lacking files. Files verified before
   * the failure stay, so that a later download fetches only the rest.
   */
  private static void removeEmpty(List<Path> created) {
    for (Path p : created) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        return; // Not empty (a verified file, or someone else's), or not ours to remove.
      }
    }
  }

  private void download(URI source, Path target, String md5) throws IOException {
    Path part = Files.createTempFile(target.getParent(), target.getFileName() + ".", ".part");
    try {
      HttpURLConnection http = (HttpURLConnection) source.toURL().openConnection();
      http.setConnectTimeout((int) timeout.toMillis());
      http.setReadTimeout((int) timeout.toMillis());
      http.setInstanceFollowRedirects(true);
      int status = http.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        http.disconnect();
        throw new IOException("HTTP " + status);
      }
      long total = http.getContentLengthLong();
      MessageDigest digest = md5Digest();
      long received = 0;
      try (InputStream in = http.getInputStream();
          OutputStream out = Files.newOutputStream(part)) {
        byte[] buffer = new byte[1 << 16];
        int n;
        while ((n = in.read(buffer)) > 0) {
          out.write(buffer, 0, n);
          digest.update(buffer, 0, n);
          received += n;
          listener.onProgress(source, received, total);
        }
      } catch (IOException e) {
        throw new IOException(
            "connection dropped after " + received + " bytes (" + e.getMessage() + ")", e);
      }
      if (total >= 0 && received != total) {
        throw new IOException("connection dropped after " + received + " of " + total + " bytes");
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (md5 == null) {
        throw new IOException("no checksum known for " + target.getFileName() + "; not trusted");
      }
      if (!md5.equalsIgnoreCase(actual)) {
        throw new IOException("checksum mismatch: MD5 " + actual + ", expected " + md5);
      }
      Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /**
   * Why a download failed, for a person: an unresolvable host reads "unknown host H / no network"
   * (the exception's own message is the bare host name), other errors their message with the chain
   * of causes.
   */
  static String reason(IOException e) {
    if (e instanceof UnknownHostException) {
      return "unknown host " + e.getMessage() + " / no network (or no DNS)";
    }
    if (e instanceof ConnectException) {
      return "cannot connect (" + describe(e) + ") / no network or the mirror is down";
    }
    if (e instanceof SocketTimeoutException) {
      return "timed out (" + describe(e) + ")";
    }
    StringBuilder s = new StringBuilder(describe(e));
    Throwable seen = e;
    for (Throwable c = e.getCause(); c != null && c != seen; seen = c, c = c.getCause()) {
      if (c instanceof UnknownHostException) {
        s.append(": unknown host ").append(c.getMessage()).append(" / no network (or no DNS)");
      } else if (!s.toString().contains(describe(c))) {
        s.append(": caused by ").append(describe(c));
      }
    }
    return s.toString();
  }

  /** The exception's message, or its class name when it has none. */
  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
  }

  private static MessageDigest md5Digest() {
    try {
      return MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no MD5", e);
    }
  }
}
