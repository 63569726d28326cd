package dev.lenet.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.sse.SseClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends each run's JSON to the event-stream clients watching it whenever the run moves on: one
 * thread for all clients polls each watched run's {@code metrics.json} (its identity, modification
 * time and size, which an atomic rename always changes) and state on a short interval. Runs nobody
 * watches are not looked at. A client that has gone away is dropped at the next send or heartbeat.
 */
final class RunWatcher implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RunWatcher.class);

  /** How often watched runs are looked at. */
  static final Duration INTERVAL = Duration.ofMillis(250);

  /** How often an idle stream gets a comment, so that clients gone away are found and dropped. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

  /** One client watching one run, and what it was last sent. */
  private static final class Subscription {
    final String run;
    final Path dir;
    final SseClient client;
    Object sent;

    Subscription(String run, Path dir, SseClient client, Object sent) {
      this.run = run;
      this.dir = dir;
      this.client = client;
      this.sent = sent;
    }
  }

  private final RunsDirectory runs;
  private final ObjectMapper json;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer;
  private long lastHeartbeat = System.nanoTime();
  private volatile boolean closed;

  RunWatcher(RunsDirectory runs, ObjectMapper json) {
    this.runs = runs;
    this.json = json;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lenet-runs-watcher");
              t.setDaemon(true);
              return t;
            });
    timer.scheduleWithFixedDelay(
        this::tick, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Sends {@code client} the run now, then on every change until it goes away. */
  void watch(String run, Path dir, SseClient client) {
    Subscription s = new Subscription(run, dir, client, runs.stamp(dir));
    client.onClose(() -> subscriptions.remove(s));
    if (send(s, event(run, dir))) {
      subscriptions.add(s);
    }
    if (closed) {
      // Arrived while the server stops: the watcher sends nothing more, so end the stream now
      // rather than hold the server's stop for its whole grace period.
      subscriptions.remove(s);
      synchronized (s.client) {
        s.client.close();
      }
    }
  }

  /** The number of clients watching, for tests. */
  int clients() {
    return subscriptions.size();
  }

  private void tick() {
    try {
      Map<String, Object> stamps = new HashMap<>();
      Map<String, String> events = new HashMap<>();
      for (Subscription s : subscriptions) {
        try {
          Object now = stamps.computeIfAbsent(s.run, r -> runs.stamp(s.dir));
          if (!Objects.equals(now, s.sent)) {
            s.sent = now;
            send(s, events.computeIfAbsent(s.run, r -> event(r, s.dir)));
          }
        } catch (RuntimeException e) {
          // One run that cannot be read must not stop the others' updates; its clients keep
          // their stream and get the run when it can be read again.
          LOG.warn("cannot send run {} to a client: {}", s.run, e.toString());
        }
      }
      if (System.nanoTime() - lastHeartbeat > HEARTBEAT.toNanos()) {
        lastHeartbeat = System.nanoTime();
        for (Subscription s : subscriptions) {
          synchronized (s.client) {
            try {
              s.client.sendComment("heartbeat");
            } catch (RuntimeException e) {
              subscriptions.remove(s);
            }
            if (s.client.terminated()) {
              subscriptions.remove(s);
            }
          }
        }
      }
    } catch (RuntimeException e) {
      // The timer must go on for every client (an exception would cancel it): log and go on.
      LOG.warn("the runs watcher's tick failed: {}", e.toString());
    }
  }

  private String event(String run, Path dir) {
    try {
      return json.writeValueAsString(runs.detail(run, dir));
    } catch (JsonProcessingException e) {
      return "{\"name\": \"" + run + "\", \"error\": \"cannot write the run as JSON\"}";
    }
  }

  /** Sends one {@code run} event; false, and the client dropped, if it has gone away. */
  private boolean send(Subscription s, String data) {
    synchronized (s.client) {
      try {
        s.client.sendEvent("run", data);
      } catch (RuntimeException e) {
        subscriptions.remove(s);
        return false;
      }
      if (s.client.terminated()) {
        subscriptions.remove(s);
        return false;
      }
      return true;
    }
  }

  /** Stops watching; the clients' streams end when the server stops. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    for (Subscription s : subscriptions) {
      synchronized (s.client) {
        s.client.close();
      }
    }
    subscriptions.clear();
  }
}
