package dev.lenet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.handler.GracefulHandler;

/**
 * What runs the server rather than the models: the bearer-token check before routing, {@code GET
 * /healthz}, {@code GET /metrics}, the access log, and a graceful stop (in-flight requests finish
 * within the grace period before the port is released).
 */
final class OperationsRoutes {

  private static final String STARTED = "lenet.started";

  private final BearerAuth auth;
  private final ServerMetrics metrics;
  private final Consumer<String> accessLog;
  private final Duration grace;
  private final List<String> models;
  private final ObjectMapper json;

  /**
   * @param token the bearer token, or null for none
   */
  OperationsRoutes(
      String token,
      ServerMetrics metrics,
      Consumer<String> accessLog,
      Duration grace,
      List<String> models,
      ObjectMapper json) {
    this.auth = token == null ? null : new BearerAuth(token);
    this.metrics = metrics;
    this.accessLog = accessLog;
    this.grace = grace;
    this.models = List.copyOf(models);
    this.json = json;
  }

  /** Adds the hooks and routes to a Javalin configuration. */
  void install(JavalinConfig config) {
    config.jetty.modifyServer(
        server -> {
          server.insertHandler(new GracefulHandler());
          server.setStopTimeout(grace.toMillis());
          server.setRequestLog(AccessLog.to(accessLog));
        });
    config.routes.before(this::before);
    config.routes.after(this::after);
    config.routes.get("/healthz", this::health);
    config.routes.get("/metrics", this::scrape);
  }

  private void before(Context ctx) {
    ctx.attribute(STARTED, System.nanoTime());
    metrics.started();
    if (auth != null) {
      auth.check(ctx);
    }
  }

  private void after(Context ctx) {
    Long started = ctx.attribute(STARTED);
    if (started == null) {
      return;
    }
    ctx.attribute(STARTED, null);
    double seconds = (System.nanoTime() - started) / 1e9;
    metrics.finished(ctx.method().name(), ctx.path(), ctx.statusCode(), seconds);
  }

  private void health(Context ctx) throws Exception {
    ObjectNode body = json.createObjectNode().put("status", "ok");
    models.forEach(body.putArray("models")::add);
    JsonAnswers.answer(ctx, json, body);
  }

  private void scrape(Context ctx) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    metrics.writeTo(out);
    ctx.status(200).contentType(metrics.contentType()).result(out.toByteArray());
  }
}
