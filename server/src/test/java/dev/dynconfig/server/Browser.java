package dev.dynconfig.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless chromium driven through its chromedriver (never a downloaded browser: Selenium
 * Manager is bypassed by naming both binaries). {@link #find()} says why when there is none.
 */
final class Browser {
  static final List<String> CHROMIUM =
      List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome");
  static final List<String> DRIVER =
      List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

  private Browser() {}

  /** The chromium and chromedriver binaries, or null with the reason in {@code why[0]}. */
  static String[] find(String[] why) {
    String chromium = System.getProperty("dynconfig.chromium", first(CHROMIUM));
    String driver = System.getProperty("dynconfig.chromedriver", first(DRIVER));
    if (chromium == null || driver == null) {
      why[0] =
          "no Chromium found (looked for "
              + (chromium == null ? CHROMIUM : DRIVER)
              + "): apt-get install -y chromium chromium-driver";
      return null;
    }
    return new String[] {chromium, driver};
  }

  private static String first(List<String> candidates) {
    for (String c : candidates) {
      if (Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  static ChromeDriver start(String[] binaries, Path profile) {
    ChromeOptions o = new ChromeOptions();
    o.setBinary(binaries[0]);
    o.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
        "--user-data-dir=" + profile);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(binaries[1]))
            .usingAnyFreePort()
            .build();
    ChromeDriver d = new ChromeDriver(service, o);
    d.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    return d;
  }

  /** Saves a PNG under {@code target/console-screenshots/}. */
  static Path screenshot(ChromeDriver d, String name) throws IOException {
    Path dir = Path.of("target", "console-screenshots");
    Files.createDirectories(dir);
    Path out = dir.resolve(name + ".png");
    Files.write(out, d.getScreenshotAs(OutputType.BYTES));
    return out;
  }
}
