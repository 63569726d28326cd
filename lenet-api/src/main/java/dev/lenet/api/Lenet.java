package dev.lenet.api;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this library. */
public final class Lenet {

  /** This library's version, e.g. {@code 0.1.0}, read from the jar's build. */
  public static final String VERSION = readVersion();

  private Lenet() {}

  private static String readVersion() {
    Properties p = new Properties();
    try (InputStream in = Lenet.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
