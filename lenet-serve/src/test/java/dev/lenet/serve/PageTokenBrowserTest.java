package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.lenet.api.spec.LeNet;
import dev.lenet.api.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Both pages together in headless Chromium against a server with a token, two models and a runs
 * directory: the token form on a 401 (a wrong token is refused with a message and asked for again),
 * the token kept for the tab and shared by both pages, predictions and live curves after it, the
 * model selector, the shared header, what a server without models or without runs shows, and
 * phone-width layout. Skips without Chromium unless {@code LENET_REQUIRE_BROWSER=1}. Leaves
 * screenshots in {@code /tmp/pt-*.png}.
 */
class PageTokenBrowserTest {

  static final String TOKEN = "page-token-1234";
  static final String TOKEN_KEY = "lenet.token";

  /** How long the page may take to show a change before the test fails (not a speed check). */
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir static Path tmp;

  private static Path runs;
  private static LenetServer server;
  private static LenetServer runsOnly;
  private static LenetServer modelsOnly;
  private static ChromeDriver browser;

  @BeforeAll
  static void start() throws Exception {
    if (!HeadlessChromium.missing().isEmpty()) {
      return;
    }
    Path classic = trainedModel(tmp.resolve("a"), LeNet.classic(), 0.8125);
    Path modern = trainedModel(tmp.resolve("b"), LeNet.modern(), 0.9);
    runs = tmp.resolve("runs");
    RunFixtures.writeMetrics(runs.resolve("live"), 1, 3);
    RunFixtures.lockedByThisProcess(runs.resolve("live"));
    RunFixtures.writeMetrics(runs.resolve("older"), 3, 3);
    server =
        LenetServer.builder()
            .model("classic", classic)
            .model("modern", modern)
            .runs(runs)
            .token(TOKEN)
            .port(0)
            .build()
            .start();
    runsOnly = LenetServer.builder().runs(runs).port(0).build().start();
    modelsOnly = LenetServer.builder().model("classic", classic).port(0).build().start();

    browser = HeadlessChromium.start(tmp.resolve("chromium-profile"), 1280, 1000);
  }

  /** A run directory under {@code dir} with a model of {@code spec} and its metrics.json. */
  private static Path trainedModel(Path dir, ModelSpec spec, double testAccuracy)
      throws IOException {
    Path run = dir.resolve("run");
    ServingModel.save(spec, dir.resolve("data"), run.resolve("model"));
    Files.writeString(
        run.resolve("metrics.json"),
        "{\"epochs\": [{\"epoch\": 1, \"loss\": 0.6, \"test_acc\": " + testAccuracy + "}]}\n");
    return run.resolve("model");
  }

  @BeforeEach
  void requireBrowser() {
    HeadlessChromium.requireOrSkip();
  }

  @AfterAll
  static void stop() {
    HeadlessChromium.stop(browser, server, runsOnly, modelsOnly);
  }

  @Test
  void bothPagesAskForTheTokenOnceAndThenWork() throws Exception {
    desktop();
    String base = "http://127.0.0.1:" + server.port();
    browser.get(base + "/runs.html#live");
    js("sessionStorage.clear();");
    browser.navigate().refresh();

    // The runs page: a 401 shows the form; a wrong token is refused with a message, then asked for.
    await("the token form on the runs page", () -> visible("token-form"));
    assertThat(visible("token-problem")).isFalse();
    shots("runs-token");
    enterToken("not-the-token");
    await("the wrong token's message", () -> visible("token-problem") && visible("token-form"));
    assertThat(text("#token-problem"))
        .contains("That token was not accepted")
        .contains("the bearer token is wrong");
    assertThat(sessionToken()).isNull();
    shots("runs-token-wrong");
    enterToken(TOKEN);
    await("the token form gone", () -> !visible("token-form"));
    assertThat(sessionToken()).isEqualTo(TOKEN);

    // ...then the curves appear and follow the run live over the fetch-based event stream.
    WebElement chart = browser.findElement(By.id("curves"));
    await("the first epoch drawn", () -> "1".equals(chart.getAttribute("data-points")));
    await("two runs listed", () -> browser.findElements(By.cssSelector("#run-list a")).size() == 2);
    RunFixtures.writeMetrics(runs.resolve("live"), 2, 3);
    await("the second epoch drawn", () -> "2".equals(chart.getAttribute("data-points")));
    assertThat(text("#progress-text")).isEqualTo("epoch 2 of 3");
    shots("runs");
    phone();
    assertThat(legendClearOfPlot()).as("the legend sits above the plot, off the curves").isTrue();
    assertThat(fits("#epochs", ".run")).as("the epochs table fits a 390 px screen").isTrue();
    desktop();

    // The header's link to the predict page: the same header, and the token is not asked again.
    assertThat(headerLinks()).containsExactly("lenet", "Predict", "Runs");
    browser.findElement(By.linkText("Predict")).click();
    await("the predict page's summary table", () -> rows() > 0);
    assertThat(visible("token-form")).isFalse();
    assertThat(headerLinks()).containsExactly("lenet", "Predict", "Runs");
    assertThat(text("#accuracy")).isEqualTo("81.25 %");
    String classicSummary = text("#summary tbody");

    // A file picked: the prediction and ten bars appear (the call carries the token).
    Path file = tmp.resolve("shoe.png");
    Files.write(file, TrainedRun.png(56, 5));
    browser.findElement(By.id("file")).sendKeys(file.toAbsolutePath().toString());
    await(
        "a predicted class and ten bars",
        () ->
            browser.findElements(By.cssSelector("#bars .bar[data-probability]")).size() == 10
                && !"–".equals(text("#predicted")));
    assertThat(text("#status")).isEmpty();

    // Two models: the selector switches the summary, accuracy and parameter count.
    assertThat(visible("model-picker")).isTrue();
    pickModel("modern");
    await("the modern model's summary", () -> !text("#summary tbody").equals(classicSummary));
    assertThat(text("#accuracy")).isEqualTo("90.00 %");
    assertThat(rows()).isEqualTo(LeNet.modern().layerInfos().size());
    pickModel("classic");
    await("the classic model's summary again", () -> text("#summary tbody").equals(classicSummary));
    shots("predict");
    phone();
    assertThat(fits("#summary", ".card")).as("the summary table fits a 390 px screen").isTrue();
    desktop();

    // The predict page with a fresh tab's storage asks for the token too, then works.
    js("sessionStorage.clear();");
    browser.navigate().refresh();
    await("the token form on the predict page", () -> visible("token-form"));
    shots("predict-token");
    enterToken(TOKEN);
    await("the summary after the token", () -> rows() > 0 && !visible("token-form"));
  }

  @Test
  void aServerWithRunsAndNoModelSaysSoOnThePredictPage() throws Exception {
    desktop();
    browser.get("http://127.0.0.1:" + runsOnly.port() + "/");
    await("the no-model notice", () -> visible("no-model"));
    assertThat(visible("predict")).isFalse();
    assertThat(text("#no-model")).contains("serves no model");
    shots("no-model");
    browser.findElement(By.cssSelector("#no-model a[href='/runs.html']")).click();
    await("the runs listed", () -> browser.findElements(By.cssSelector("#run-list a")).size() == 2);
  }

  @Test
  void aServerWithModelsAndNoRunsSaysHowToTurnThemOn() throws Exception {
    desktop();
    browser.get("http://127.0.0.1:" + modelsOnly.port() + "/runs.html");
    await("the no-runs notice", () -> visible("no-runs"));
    assertThat(visible("runs")).isFalse();
    assertThat(text("#no-runs")).contains("lenet serve --runs DIR");
    shots("no-runs");
  }

  private static void enterToken(String token) {
    WebElement input = browser.findElement(By.id("token"));
    input.clear();
    input.sendKeys(token);
    browser.findElement(By.cssSelector("#token-form button[type=submit]")).click();
  }

  /** Picks a model in the header's selector as a user does (a click on its option). */
  private static void pickModel(String name) {
    browser.findElement(By.id("model-select")).click();
    browser.findElement(By.cssSelector("#model-select option[value='" + name + "']")).click();
  }

  private static String sessionToken() {
    return (String) js("return sessionStorage.getItem('" + TOKEN_KEY + "');");
  }

  private static List<String> headerLinks() {
    return browser.findElements(By.cssSelector("header.masthead a")).stream()
        .map(WebElement::getText)
        .toList();
  }

  /** Whether a table is no wider than the box around it (no column hidden behind a scroll). */
  private static boolean fits(String table, String box) {
    return Boolean.TRUE.equals(
        js(
            "const t = document.querySelector(arguments[0]);"
                + "return t.getBoundingClientRect().right"
                + " <= t.closest(arguments[1]).getBoundingClientRect().right;",
            table,
            box));
  }

  /** Whether every legend entry of the chart lies above the plot area. */
  private static boolean legendClearOfPlot() {
    return Boolean.TRUE.equals(
        js(
            "const plot = document.querySelector('#curves rect.plot').getBoundingClientRect();"
                + "const items = [...document.querySelectorAll('#curves .legend-item')];"
                + "return items.length === 3 && items.every(i => "
                + "i.getBoundingClientRect().bottom <= plot.top"
                + " && i.getBoundingClientRect().right <= plot.right + 12);"));
  }

  private static int rows() {
    return browser.findElements(By.cssSelector("#summary tbody tr")).size();
  }

  private static boolean visible(String id) {
    List<WebElement> found = browser.findElements(By.id(id));
    return !found.isEmpty() && found.get(0).isDisplayed();
  }

  private static String text(String css) {
    return browser.findElement(By.cssSelector(css)).getText();
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) browser).executeScript(script, args);
  }

  private static void desktop() {
    browser.manage().window().setSize(new Dimension(1280, 1000));
  }

  private static void phone() {
    browser.manage().window().setSize(new Dimension(390, 1600));
  }

  /** Screenshots at desktop and phone widths, /tmp/pt-{name}-desktop.png and -phone.png. */
  private static void shots(String name) throws Exception {
    desktop();
    Thread.sleep(300); // let the resize's redraw and transitions land in the picture
    Files.write(
        Path.of("/tmp/pt-" + name + "-desktop.png"), browser.getScreenshotAs(OutputType.BYTES));
    phone();
    Thread.sleep(300);
    Files.write(
        Path.of("/tmp/pt-" + name + "-phone.png"), browser.getScreenshotAs(OutputType.BYTES));
    desktop();
  }

  /** Polls until {@code condition} holds, failing with what was awaited after {@link #PATIENCE}. */
  private static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
    long end = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < end) {
      if (Boolean.TRUE.equals(condition.get())) {
        return;
      }
      Thread.sleep(50);
    }
    String status = browser.findElements(By.id("status")).isEmpty() ? "" : text("#status");
    fail(
        "waited "
            + PATIENCE.toSeconds()
            + " s for "
            + what
            + "; the page at "
            + browser.getCurrentUrl()
            + " shows status \""
            + status
            + "\", token form "
            + (visible("token-form") ? "up" : "hidden"));
  }
}
