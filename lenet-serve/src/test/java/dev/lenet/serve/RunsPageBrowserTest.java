package dev.lenet.serve;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The runs view in headless Chromium (Debian's chromium and chromium-driver): it draws a run's
 * curves and adds a point when metrics.json grows. Skips when the browser is not installed, unless
 * LENET_REQUIRE_BROWSER=1 (as in CI), where it fails.
 */
class RunsPageBrowserTest {

  /** How long the page may take to show a change before the test fails (not a speed check). */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  @TempDir static Path tmp;

  private static LenetServer server;
  private static WebDriver browser;
  private static Path runs;

  @BeforeAll
  static void startServerAndBrowser() throws IOException {
    HeadlessChromium.requireOrSkip();
    runs = tmp.resolve("runs");
    RunFixtures.writeMetrics(runs.resolve("live"), 1, 3);
    RunFixtures.lockedByThisProcess(runs.resolve("live"));
    RunFixtures.writeMetrics(runs.resolve("older"), 3, 3);
    Files.createDirectories(runs.resolve("older/model"));
    server = LenetServer.builder().runs(runs).port(0).build().start();

    browser = HeadlessChromium.start(tmp.resolve("chromium-profile"), 1280, 1000);
  }

  @AfterAll
  static void stop() {
    HeadlessChromium.stop(browser, server);
  }

  @Test
  void showsARunsCurvesAndAddsAPointWhenMetricsGrow() throws IOException {
    browser.get("http://127.0.0.1:" + server.port() + "/runs.html#live");
    WebElement chart = browser.findElement(By.id("curves"));
    waitFor(() -> "1".equals(chart.getAttribute("data-points")), "the first epoch drawn");
    assertThat(series()).containsExactly("loss:1", "train_acc:1", "test_acc:1");
    assertThat(browser.findElement(By.id("progress-text")).getText()).isEqualTo("epoch 1 of 3");
    waitFor(() -> browser.findElements(By.cssSelector("#run-list a")).size() == 2, "two runs");

    RunFixtures.writeMetrics(runs.resolve("live"), 2, 3);

    waitFor(() -> "2".equals(chart.getAttribute("data-points")), "the second epoch drawn");
    assertThat(series()).containsExactly("loss:2", "train_acc:2", "test_acc:2");
    assertThat(browser.findElement(By.id("progress-text")).getText()).isEqualTo("epoch 2 of 3");
    assertThat(browser.findElement(By.id("run-state")).getText()).isEqualTo("running");
    assertThat(browser.findElement(By.cssSelector("#recipe")).getText()).contains("batchSize");

    screenshot("/tmp/runs-desktop.png");
    browser.manage().window().setSize(new Dimension(390, 1400));
    screenshot("/tmp/runs-narrow.png");
    browser.manage().window().setSize(new Dimension(1280, 1000));
  }

  /** Each drawn series as key:points. */
  private static List<String> series() {
    return browser.findElements(By.cssSelector("#curves g.series")).stream()
        .map(g -> g.getAttribute("data-series") + ":" + g.getAttribute("data-points"))
        .toList();
  }

  private static void screenshot(String file) throws IOException {
    Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, Path.of(file), StandardCopyOption.REPLACE_EXISTING);
  }

  private static void waitFor(Supplier<Boolean> condition, String what) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the page did not show " + what + " within " + PATIENCE);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
