package dev.lenet.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The server's Prometheus metrics, in a registry of its own (never the JVM-wide default one), so
 * that two servers in one JVM count separately:
 *
 * <ul>
 *   <li>{@code lenet_requests_total{model, method, code}}: answered {@code /v1} requests; {@code
 *       method} is {@code predict}, {@code predictImage}, {@code classify}, {@code regress}, {@code
 *       metadata}, {@code status} or {@code other}; {@code model} is a served model's name, or
 *       empty when the request named none (so clients cannot grow the label set);
 *   <li>{@code lenet_request_duration_seconds{model, method}}: their latency, a histogram;
 *   <li>{@code lenet_batch_size{model}}: images per model call, a histogram;
 *   <li>{@code lenet_requests_in_flight}: requests being answered now (any path).
 * </ul>
 */
final class ServerMetrics {

  /** The methods counted by name; any other is counted as {@code other}. */
  static final List<String> METHODS =
      List.of("predict", "predictImage", "classify", "regress", "metadata", "status");

  private static final String PREFIX = "/v1/models/";

  private final Set<String> models;
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter requests;
  private final Histogram latency;
  private final Histogram batchSize;
  private final Gauge inFlight;

  /** Metrics for a server of {@code models}. */
  ServerMetrics(Collection<String> models) {
    this.models = Set.copyOf(models);
    requests =
        Counter.builder()
            .name("lenet_requests_total")
            .help("Answered /v1 requests by model, method and HTTP status code")
            .labelNames("model", "method", "code")
            .withoutExemplars()
            .register(registry);
    latency =
        Histogram.builder()
            .name("lenet_request_duration_seconds")
            .unit(Unit.SECONDS)
            .help("Time to answer a /v1 request, from its headers to its answer")
            .labelNames("model", "method")
            .classicOnly()
            .classicUpperBounds(
                0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .withoutExemplars()
            .register(registry);
    batchSize =
        Histogram.builder()
            .name("lenet_batch_size")
            .help("Images per model call")
            .labelNames("model")
            .classicOnly()
            .classicExponentialUpperBounds(1, 2, 11)
            .withoutExemplars()
            .register(registry);
    inFlight =
        Gauge.builder()
            .name("lenet_requests_in_flight")
            .help("Requests being answered now")
            .withoutExemplars()
            .register(registry);
    for (String model : this.models) {
      batchSize.labelValues(model);
    }
  }

  /** One model call on {@code size} images for {@code model}. */
  void batch(String model, int size) {
    batchSize.labelValues(model).observe(size);
  }

  /** A request has arrived. */
  void started() {
    inFlight.inc();
  }

  /**
   * A request to {@code path} was answered with {@code code} after {@code seconds}; counted by
   * model and method if it is a {@code /v1} request.
   */
  void finished(String httpMethod, String path, int code, double seconds) {
    inFlight.dec();
    if (!path.startsWith("/v1/")) {
      return;
    }
    String[] labels = modelAndMethod(httpMethod, path);
    requests.labelValues(labels[0], labels[1], Integer.toString(code)).inc();
    latency.labelValues(labels[0], labels[1]).observe(seconds);
  }

  /** The requests being answered now. */
  long inFlight() {
    return (long) inFlight.get();
  }

  /** {@code [model, method]} for a {@code /v1} path, with bounded values. */
  String[] modelAndMethod(String httpMethod, String path) {
    if (!path.startsWith(PREFIX)) {
      return new String[] {"", "other"};
    }
    String rest = path.substring(PREFIX.length());
    String method;
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      method = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!httpMethod.equals("POST") || method.equals("metadata") || method.equals("status")) {
        method = "other";
      }
    } else if (rest.endsWith("/metadata")) {
      method = "metadata";
      rest = rest.substring(0, rest.length() - "/metadata".length());
    } else {
      method = "status";
    }
    if (!METHODS.contains(method)) {
      method = "other";
    }
    int slash = rest.indexOf('/');
    String model = slash < 0 ? rest : rest.substring(0, slash);
    return new String[] {models.contains(model) ? model : "", method};
  }

  /** The Content-Type of {@link #writeTo}'s text. */
  String contentType() {
    return writer.getContentType();
  }

  /** Writes every metric in Prometheus text format. */
  void writeTo(OutputStream out) throws IOException {
    writer.write(out, registry.scrape());
  }
}
