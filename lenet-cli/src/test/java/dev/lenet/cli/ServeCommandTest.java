package dev.lenet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lenet.api.data.SyntheticData;
import dev.lenet.api.train.CheckpointHook;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lenet serve}: models named on the command line, served until stopped. */
class ServeCommandTest {

  @TempDir static Path tmp;
  static Path run;

  private static final Pattern URL = Pattern.compile("at http://127\\.0\\.0\\.1:(\\d+)/");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void trainOnce() throws IOException {
    Path data = SyntheticData.write(tmp.resolve("data"), 64, 16);
    run = tmp.resolve("run");
    CliTest.Result r =
        CliTest.lenet("train", "--epochs", 1, "--batch-size", 32, "--data", data, "--out", run);
    assertThat(r.status()).as(r.err()).isZero();
  }

  @Test
  void servesNamedAndUnnamedModelsWithATokenUntilInterruptedThenReleasesThePort() throws Exception {
    Path token = tmp.resolve("serve-token");
    Files.writeString(token, "abc123\n");
    Serving serving =
        Serving.start(
            "serve",
            "--model",
            run,
            "--model",
            "b=" + run.resolve("model"),
            "--port",
            0,
            "--token",
            token);
    assertThat(serving.out())
        .contains("serving lenet (" + run.resolve("model") + "), b (" + run.resolve("model") + ")");

    for (String name : new String[] {"lenet", "b"}) {
      URI status = serving.uri("/v1/models/" + name);
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(status).header("Authorization", "Bearer abc123").build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("AVAILABLE");
      HttpResponse<String> refused =
          HTTP.send(HttpRequest.newBuilder(status).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(401);
    }

    assertThat(serving.stop()).isZero();
    // One access-log line per request, on standard output.
    assertThat(serving.out())
        .containsPattern("\"GET /v1/models/b HTTP/1.1\" 200 ")
        .containsPattern("\"GET /v1/models/lenet HTTP/1.1\" 401 ")
        .contains("lenet serve: stopped");
    try (ServerSocket again = new ServerSocket(serving.port())) {
      assertThat(again.getLocalPort()).isEqualTo(serving.port());
    }
  }

  @Test
  void aTokenFileIsReadWithoutItsLineEndAndBadOnesAreRefused() throws IOException {
    Path file = tmp.resolve("token");
    Files.writeString(file, "s3cret-token\n");
    assertThat(ServeCommand.readToken(file)).isEqualTo("s3cret-token");

    Files.writeString(tmp.resolve("empty"), "\n");
    Files.writeString(tmp.resolve("spaces"), "two words\n");
    for (String[] c :
        new String[][] {
          {"empty", "is empty"}, {"spaces", "visible ASCII"}, {"missing", "no such file"}
        }) {
      CliTest.Result r =
          CliTest.lenet("serve", "--model", run, "--port", 0, "--token", tmp.resolve(c[0]));
      assertThat(r.status()).as(c[0]).isEqualTo(Lenet.USER_ERROR);
      assertThat(r.err()).as(c[0]).contains("--token ", c[1]).doesNotContain("\tat ");
    }
  }

  @Test
  void servesARunsDirectoryWithoutAModel() throws Exception {
    Serving serving = Serving.start("serve", "--runs", tmp, "--port", 0, "--no-batching");
    assertThat(serving.out()).contains("serving the runs in " + tmp + " at");
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(serving.uri("/api/runs")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("\"name\":\"run\"");
    assertThat(serving.stop()).isZero();
  }

  @Test
  void nothingToServeAndBadLimitsAreUserErrors() {
    CliTest.Result none = CliTest.lenet("serve", "--port", 0);
    assertThat(none.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(none.err()).contains("nothing to serve").contains("--runs DIR");
    for (String flag :
        new String[] {"--max-batch-size", "--batch-threads", "--max-body-bytes", "--max-pixels"}) {
      CliTest.Result r = CliTest.lenet("serve", "--model", run, "--port", 0, flag, 0);
      assertThat(r.status()).as(flag).isEqualTo(Lenet.USER_ERROR);
      assertThat(r.err()).as(flag).contains(flag + " must be at least 1, found 0");
    }
    CliTest.Result negative =
        CliTest.lenet("serve", "--model", run, "--port", 0, "--batch-timeout-micros", -1);
    assertThat(negative.err()).contains("--batch-timeout-micros must be at least 0, found -1");
  }

  @Test
  void twoModelsWithOneNameAreRefused() {
    CliTest.Result r = CliTest.lenet("serve", "--model", run, "--model", run, "--port", 0);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains("two models are named 'lenet'").contains("--model NAME=DIR");
  }

  @Test
  void aPortInUseIsAUserError() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      CliTest.Result r = CliTest.lenet("serve", "--model", run, "--port", taken.getLocalPort());
      assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
      assertThat(r.err())
          .contains("cannot listen on 127.0.0.1:" + taken.getLocalPort())
          .contains("choose another port")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void aMissingModelDirectoryIsNamed() {
    Path missing = tmp.resolve("no-such-run");
    CliTest.Result r = CliTest.lenet("serve", "--model", "x=" + missing, "--port", 0);
    assertThat(r.status()).isEqualTo(Lenet.USER_ERROR);
    assertThat(r.err()).contains(missing.toString()).doesNotContain("\tat ");
  }

  /** {@code lenet serve} on a thread of its own, stopped by interrupting it as Ctrl-C would. */
  record Serving(
      Thread thread, StringWriter stdout, StringWriter err, AtomicInteger status, int port) {

    static Serving start(Object... args) throws InterruptedException {
      String[] strings = java.util.Arrays.stream(args).map(String::valueOf).toArray(String[]::new);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      AtomicInteger status = new AtomicInteger(-1);
      Thread thread =
          new Thread(
              () ->
                  status.set(
                      Lenet.run(
                          strings,
                          new PrintWriter(out, true),
                          new PrintWriter(err, true),
                          false,
                          CheckpointHook.NONE)));
      thread.start();
      for (int i = 0; i < 600; i++) {
        Matcher m = URL.matcher(out.toString());
        if (m.find()) {
          return new Serving(thread, out, err, status, Integer.parseInt(m.group(1)));
        }
        if (!thread.isAlive()) {
          break;
        }
        Thread.sleep(50);
      }
      throw new AssertionError("no startup line; out: " + out + " err: " + err);
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + port + path);
    }

    String out() {
      return stdout.toString();
    }

    /** Interrupts the command, waits for it to end, and returns its exit status. */
    int stop() throws InterruptedException {
      thread.interrupt();
      thread.join(30_000);
      assertThat(thread.isAlive()).as("still serving after the interrupt").isFalse();
      assertThat(err.toString()).doesNotContain("\tat ");
      return status.get();
    }
  }
}
