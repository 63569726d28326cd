package dev.lenet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.JavalinConfig;
import io.javalin.http.sse.SseHandler;
import java.nio.file.Path;

/**
 * The runs view's JSON: {@code GET /api/runs} (every run), {@code GET /api/runs/{run}} (one run
 * with its epochs) and {@code GET /api/runs/{run}/events} (an event stream sending the run again
 * whenever it changes). Without a runs directory each answers 404 saying so.
 */
final class RunsRoutes implements AutoCloseable {

  private final RunsDirectory runs;
  private final RunWatcher watcher;
  private final ObjectMapper json;

  /** Routes for {@code dir}, or routes that answer 404 if {@code dir} is null. */
  RunsRoutes(Path dir, ObjectMapper json) {
    this.json = json;
    if (dir == null) {
      this.runs = null;
      this.watcher = null;
    } else {
      this.runs = new RunsDirectory(dir, json);
      runs.realRoot();
      this.watcher = new RunWatcher(runs, json);
    }
  }

  void register(JavalinConfig config) {
    // The page's files (runs.html, runs.js, runs.css) are served with the others by WebPage.
    config.routes.get("/api/runs", ctx -> JsonAnswers.answer(ctx, json, runs().list()));
    config.routes.get(
        "/api/runs/{run}",
        ctx -> {
          String name = ctx.pathParam("run");
          JsonAnswers.answer(ctx, json, runs().detail(name, runs().require(name)));
        });
    config.routes.get(
        "/api/runs/{run}/events",
        ctx -> {
          String name = ctx.pathParam("run");
          Path dir = runs().require(name);
          new SseHandler(
                  client -> {
                    client.keepAlive();
                    watcher.watch(name, dir, client);
                  })
              .handle(ctx);
        });
  }

  /** The number of event-stream clients, for tests. */
  int clients() {
    return watcher == null ? 0 : watcher.clients();
  }

  private RunsDirectory runs() {
    if (runs == null) {
      throw ApiException.notFound(
          "this server watches no runs directory; start it with --runs DIR"
              + " (LenetServer.Builder.runs) to see training runs");
    }
    return runs;
  }

  @Override
  public void close() {
    if (watcher != null) {
      watcher.close();
    }
  }
}
