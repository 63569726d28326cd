package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The page in headless Chromium (Debian's {@code chromium} and {@code chromium-driver}, driven by
 * Selenium through that driver, never a downloaded one): draw on the pad with pointer events, pick
 * a file, and check the predicted class and the ten bars against the API. Skips when the browser is
 * missing, unless {@code LENET_REQUIRE_BROWSER=1} (as in CI), when it fails. Leaves screenshots in
 * {@code /tmp/page-desktop.png} and {@code /tmp/page-phone.png}.
 */
class PageBrowserTest {

  @TempDir static Path tmp;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private static LenetServer server;
  private static ChromeDriver browser;
  private static String base;

  @BeforeAll
  static void start() throws Exception {
    if (HeadlessChromium.missing().isEmpty()) {
      startBrowser();
    }
  }

  private static void startBrowser() throws Exception {
    server = LenetServer.builder().model("fashion", TrainedRun.create(tmp)).port(0).build().start();
    base = "http://127.0.0.1:" + server.port();
    browser = HeadlessChromium.start(tmp.resolve("chromium-profile"), 1280, 1100);
  }

  @AfterAll
  static void stop() {
    HeadlessChromium.stop(browser, server);
  }

  @Test
  void drawingAndPickingAFileShowThePredictionAndTenBars() throws Exception {
    HeadlessChromium.requireOrSkip();
    browser.manage().window().setSize(new Dimension(1280, 1100));
    browser.get(base + "/");
    await(
        "the model's summary table",
        () -> rows("#summary tbody tr") == dev.lenet.api.spec.LeNet.classic().layerInfos().size());
    assertThat(text("#accuracy")).isEqualTo("81.25 %");

    // A stroke on the pad, as a mouse (pointer events) draws it.
    WebElement pad = browser.findElement(By.id("pad"));
    new Actions(browser)
        .moveToElement(pad, -40, -80)
        .clickAndHold()
        .moveByOffset(10, 40)
        .moveByOffset(10, 40)
        .moveByOffset(20, 40)
        .moveByOffset(20, 30)
        .release()
        .perform();
    await(
        "a predicted class and ten bars",
        () -> bars().size() == 10 && !"–".equals(text("#predicted")));
    Map<Integer, Double> drawn = awaitSettled();
    assertThat(drawn).hasSize(10);
    assertThat(drawn.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
    assertThat(browser.findElements(By.cssSelector("#bars .bar.top"))).hasSize(1);
    assertThat(litPixels()).as("the model's view shows the stroke").isPositive();

    // A file picked in the drop area: the bars become the API's answer for it.
    byte[] png = TrainedRun.png(56, 5);
    Path file = tmp.resolve("shoe.png");
    Files.write(file, png);
    JsonNode expected = predictImage(png);
    Map<Integer, Double> wanted = new LinkedHashMap<>();
    for (JsonNode p : expected.get("predictions")) {
      wanted.put(p.get("class").asInt(), p.get("probability").asDouble());
    }
    assertThat(wanted).isNotEqualTo(drawn);
    browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    await("the bars for shoe.png, " + wanted, () -> close(bars(), wanted));
    String topName = expected.at("/predictions/0/name").asText();
    assertThat(text("#predicted")).isEqualTo(topName);
    assertThat(browser.findElement(By.cssSelector("#bars .bar.top .name")).getText())
        .isEqualTo(topName);

    screenshot("/tmp/page-desktop.png");
    browser.manage().window().setSize(new Dimension(390, 2000));
    screenshot("/tmp/page-phone.png");
  }

  private Map<Integer, Double> awaitSettled() throws InterruptedException {
    // The pad sends while drawing; wait until no request is in flight or waiting.
    await(
        "the last drawing's answer",
        () -> Boolean.TRUE.equals(js("return !inFlight && waiting === null;")));
    return bars();
  }

  private static Map<Integer, Double> bars() {
    Map<Integer, Double> out = new LinkedHashMap<>();
    for (WebElement bar : browser.findElements(By.cssSelector("#bars .bar"))) {
      String p = bar.getAttribute("data-probability");
      if (p != null) {
        out.put(Integer.valueOf(bar.getAttribute("data-class")), Double.valueOf(p));
      }
    }
    return out;
  }

  private static boolean close(Map<Integer, Double> actual, Map<Integer, Double> expected) {
    if (!actual.keySet().equals(expected.keySet())) {
      return false;
    }
    return expected.entrySet().stream()
        .allMatch(e -> Math.abs(actual.get(e.getKey()) - e.getValue()) < 1e-6);
  }

  private static long litPixels() {
    Object n =
        js(
            "const c = document.getElementById('seen');"
                + "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
                + "let n = 0; for (let i = 0; i < d.length; i += 4) if (d[i] > 0) n++; return n;");
    return ((Number) n).longValue();
  }

  private static JsonNode predictImage(byte[] png) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/v1/models/fashion:predictImage?top=10"))
                    .header("Content-Type", "image/png")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(png))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser).executeScript(script);
  }

  private static String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private static int rows(String css) {
    return browser.findElements(By.cssSelector(css)).size();
  }

  private static void screenshot(String path) throws Exception {
    Files.write(Path.of(path), browser.getScreenshotAs(OutputType.BYTES));
  }

  /** Polls until {@code condition} holds, failing with the page's state after {@link #PATIENCE}. */
  private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < end) {
      if (Boolean.TRUE.equals(condition.get())) {
        return;
      }
      Thread.sleep(50);
    }
    fail(
        "waited "
            + PATIENCE.toSeconds()
            + " s for "
            + what
            + "; the page shows: status \""
            + text("#status")
            + "\", predicted \""
            + text("#predicted")
            + "\", bars "
            + bars()
            + " "
            + List.of());
  }
}
