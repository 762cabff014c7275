package io.slabridge.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium through the system's chromedriver, for the board's browser tests. Without them the test
 * is skipped with a message naming the package; under {@code CI=true} that is a failure.
 */
final class HeadlessChromium {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips (or, under CI=true, fails) the calling test when Chromium or its driver is missing. */
    static void required() {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            String why = "no " + (Files.isExecutable(CHROMIUM) ? CHROMEDRIVER : CHROMIUM)
                    + ": install Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)";
            assertFalse("true".equals(System.getenv("CI")), why + "; CI=true, so this is a failure, not a skip");
            Assumptions.abort(why);
        }
    }

    /** A new browser. The driver is named here, so Selenium Manager (which would download one) is never asked. */
    static WebDriver start() {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1440,900",
                        "--lang=en-GB");
        return new ChromeDriver(service, options);
    }

    /** Saves what the browser shows to target/board-NAME.png. */
    static void screenshot(WebDriver browser, String name) {
        try {
            Path file = Path.of("target", "board-" + name + ".png");
            Files.createDirectories(file.getParent());
            Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), file,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
