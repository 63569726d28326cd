package dev.lenet.serve;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

/**
 * The page at {@code GET /}: static files shipped in the jar under {@value #DIRECTORY} (plain HTML,
 * CSS and JavaScript; no build step, nothing fetched from elsewhere). {@code index.html} calls
 * {@code /api/models} and {@code :predictImage}; {@code runs.html} calls {@code /api/runs}.
 */
final class WebPage {

  /** Where the page's files are on the class path. */
  static final String DIRECTORY = "/dev/lenet/serve/web";

  private WebPage() {}

  static void register(JavalinConfig config) {
    config.staticFiles.add(
        files -> {
          files.hostedPath = "/";
          files.directory = DIRECTORY;
          files.location = Location.CLASSPATH;
          files.headers = java.util.Map.of("Cache-Control", "no-cache");
        });
  }
}
