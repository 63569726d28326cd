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
  void servesNamedAndUnnamedModelsUntilInterruptedThenReleasesThePort() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread serving =
        new Thread(
            () ->
                status.set(
                    Lenet.run(
                        new String[] {
                          "serve",
                          "--model",
                          run.toString(),
                          "--model",
                          "b=" + run.resolve("model"),
                          "--port",
                          "0"
                        },
                        new PrintWriter(out, true),
                        new PrintWriter(err, true),
                        false,
                        CheckpointHook.NONE)));
    serving.start();
    int port = awaitPort(out, err, serving);
    assertThat(out.toString())
        .contains("serving lenet (" + run.resolve("model") + "), b (" + run.resolve("model") + ")");

    for (String name : new String[] {"lenet", "b"}) {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/models/" + name))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("AVAILABLE");
    }

    serving.interrupt();
    serving.join(30_000);
    assertThat(serving.isAlive()).isFalse();
    assertThat(status.get()).as(err.toString()).isZero();
    assertThat(out.toString()).contains("lenet serve: stopped");
    try (ServerSocket again = new ServerSocket(port)) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
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

  private static int awaitPort(StringWriter out, StringWriter err, Thread serving)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      Matcher m = URL.matcher(out.toString());
      if (m.find()) {
        return Integer.parseInt(m.group(1));
      }
      if (!serving.isAlive()) {
        break;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no startup line; out: " + out + " err: " + err);
  }
}
