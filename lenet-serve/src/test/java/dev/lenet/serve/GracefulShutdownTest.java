package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code close()}: stops accepting connections, lets requests in flight finish, releases the port.
 */
class GracefulShutdownTest {

  @TempDir Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int IN_FLIGHT = 4;
  private static final int IMAGES = 64;

  /**
   * Four predict requests send half their body, then wait until the server has stopped accepting
   * connections (close() is running); their bodies then complete and they must all answer 200.
   */
  @Test
  void requestsInFlightFinishAndThePortIsReleased() throws Exception {
    LenetServer server =
        LenetServer.builder()
            .model("fashion", ServingModel.save(tmp))
            .port(0)
            .shutdownGrace(Duration.ofSeconds(60))
            .build()
            .start();
    int port = server.port();
    String url = "http://127.0.0.1:" + port + "/v1/models/fashion:predict";
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    byte[] body = ServingModel.columnar(IMAGES, 0.5).getBytes(StandardCharsets.UTF_8);
    CountDownLatch release = new CountDownLatch(1);

    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .POST(HttpRequest.BodyPublishers.ofInputStream(() -> heldBack(body, release)))
              .build();
      calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
    }
    awaitInFlight(server, IN_FLIGHT);

    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    awaitRefused(port);
    assertThat(closing).isNotDone(); // waiting for the four requests
    release.countDown();
    closing.get(120, TimeUnit.SECONDS);

    for (CompletableFuture<HttpResponse<String>> call : calls) {
      HttpResponse<String> r = call.get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode outputs = JSON.readTree(r.body()).get("outputs");
      assertThat(outputs.get("probabilities")).hasSize(IMAGES);
    }
    try (ServerSocket again = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void callsAfterCloseFailToConnect() throws Exception {
    LenetServer server =
        LenetServer.builder().model("fashion", ServingModel.save(tmp)).port(0).build().start();
    int port = server.port();
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest health =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz")).build();
    assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
    server.close();
    server.close(); // twice is harmless
    assertThatThrownBy(() -> http.send(health, HttpResponse.BodyHandlers.ofString()))
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void theGraceIsChecked() {
    assertThatThrownBy(() -> LenetServer.builder().shutdownGrace(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownGrace");
  }

  /** {@code body}'s first half, then the rest once {@code release} opens. */
  private static InputStream heldBack(byte[] body, CountDownLatch release) {
    int half = body.length / 2;
    InputStream rest =
        new InputStream() {
          private final InputStream in = new ByteArrayInputStream(body, half, body.length - half);

          @Override
          public int read() throws IOException {
            await();
            return in.read();
          }

          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            await();
            return in.read(b, off, len);
          }

          private void await() throws IOException {
            try {
              if (!release.await(120, TimeUnit.SECONDS)) {
                throw new IOException("the test never released the body");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IOException(e);
            }
          }
        };
    return new SequenceInputStream(new ByteArrayInputStream(body, 0, half), rest);
  }

  private static void awaitInFlight(LenetServer server, long count) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (server.metrics().inFlight() < count) {
      assertThat(System.nanoTime()).as("requests reaching the server").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  /** Waits until a new connection to {@code port} is refused. */
  private static void awaitRefused(int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket s = new Socket(InetAddress.getByName("127.0.0.1"), port)) {
        assertThat(s.isConnected()).isTrue();
        assertThat(System.nanoTime()).as("the server to stop accepting").isLessThan(deadline);
        Thread.sleep(20);
      } catch (ConnectException refused) {
        return;
      }
    }
  }
}
