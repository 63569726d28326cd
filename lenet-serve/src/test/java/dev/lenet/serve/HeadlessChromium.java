package dev.lenet.serve;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium ({@code chromium}) driven by Selenium through Debian's own driver
 * ({@code chromium-driver}), named explicitly so that Selenium never looks for or downloads one:
 * the browser of the pages' tests. Without them a test skips, or fails when {@code
 * LENET_REQUIRE_BROWSER=1} (as CI sets after installing them).
 */
final class HeadlessChromium {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  private HeadlessChromium() {}

  /** What of the browser is missing, or "" when both are installed. */
  static String missing() {
    return ((Files.isExecutable(CHROMIUM) ? "" : CHROMIUM + " ")
            + (Files.isExecutable(CHROMEDRIVER) ? "" : CHROMEDRIVER.toString()))
        .strip();
  }

  /** Returns if the browser is installed; else skips the test, or fails it where it must run. */
  static void requireOrSkip() {
    String missing = missing();
    if (missing.isEmpty()) {
      return;
    }
    String message =
        "the pages' browser tests need Chromium and its driver; missing: "
            + missing
            + " (install them: apt-get install chromium chromium-driver)";
    if ("1".equals(System.getenv("LENET_REQUIRE_BROWSER"))) {
      fail(message + "; LENET_REQUIRE_BROWSER=1 says they must be there");
    }
    Assumptions.abort(message);
  }

  /** Quits {@code browser} (and its driver), then closes {@code servers}; nulls are skipped. */
  static void stop(WebDriver browser, LenetServer... servers) {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      for (LenetServer s : servers) {
        if (s != null) {
          s.close();
        }
      }
    }
  }

  /**
   * A browser window of {@code width} x {@code height} with a fresh profile in {@code profile};
   * {@code quit()} also stops its driver.
   */
  static ChromeDriver start(Path profile, int width, int height) throws IOException {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=" + width + "," + height,
        "--user-data-dir=" + Files.createDirectories(profile));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }
}
