package dev.switchboard.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

/**
 * Debian's chromium, headless, driven by its chromedriver (Selenium): a fresh profile each time, the flags this
 * closed network needs (no background networking, no component updates, no QUIC), and everything the page logs
 * and every request it makes kept for the tests to check.
 */
final class Browser implements AutoCloseable {

    static final Duration T = Duration.ofSeconds(30);

    final ChromeDriver driver;
    private final Path profile;
    private final List<String> console = new ArrayList<>();
    private final List<String> severe = new ArrayList<>();
    private final List<String> requests = new ArrayList<>();

    Browser(int width, int height) {
        try {
            profile = Files.createTempDirectory("sb-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--disable-dev-shm-usage", "--password-store=basic",
                "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        logs.enable(LogType.PERFORMANCE, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(T);
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement await(String css) {
        return await(css, T);
    }

    WebElement await(String css, Duration timeout) {
        return until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        }, timeout, "an element " + css);
    }

    /**
     * Waits for the element and clicks it. The console redraws lists when a push arrives (a workflow or service
     * update), so the element found may be replaced before the click: then it is found again and clicked, within the
     * same wait, rather than the test failing on a stale element.
     */
    void click(String css) {
        until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            if (found.isEmpty() || !found.get(0).isDisplayed()) {
                return null;
            }
            found.get(0).click();
            return Boolean.TRUE;
        }, T, "an element to click " + css);
    }

    /** Waits until no element matches. */
    void awaitGone(String css, Duration timeout) {
        until(d -> d.findElements(By.cssSelector(css)).isEmpty() ? Boolean.TRUE : null, timeout, "no element " + css);
    }

    <V> V until(Function<ChromeDriver, V> condition, Duration timeout, String what) {
        try {
            // the console redraws parts of a page as data arrives: an element found a moment ago may be gone; look again
            return new WebDriverWait(driver, timeout, Duration.ofMillis(100)).withMessage("waiting for " + what)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                    .until(d -> condition.apply((ChromeDriver) d));
        } finally {
            collect();
        }
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void go(String hash) {
        js("location.hash = arguments[0]", hash);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves a screenshot as {@code <it.screenshots>/<name>.png} (the README's pictures). */
    Path screenshot(String name) {
        try {
            Path dir = Path.of(System.getProperty("it.screenshots", "target/screenshots"));
            Files.createDirectories(dir);
            Path file = dir.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Console messages of level SEVERE (errors, uncaught exceptions, failed loads) since the last call. */
    List<String> takeErrors() {
        collect();
        List<String> out = List.copyOf(severe);
        severe.clear();
        return out;
    }

    /** Every URL the page requested (HTTP and WebSocket) since start. */
    List<String> requests() {
        collect();
        return List.copyOf(requests);
    }

    List<String> consoleLog() {
        collect();
        return List.copyOf(console);
    }

    private void collect() {
        try {
            for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
                console.add(e.getLevel() + " " + e.getMessage());
                if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                    severe.add(e.getMessage());
                }
            }
            for (LogEntry e : driver.manage().logs().get(LogType.PERFORMANCE)) {
                JsonObject message = Json.createReader(new StringReader(e.getMessage())).readObject().getJsonObject("message");
                String method = message.getString("method", "");
                JsonObject params = message.getJsonObject("params");
                if (method.equals("Network.requestWillBeSent")) {
                    requests.add(params.getJsonObject("request").getString("url"));
                } else if (method.equals("Network.webSocketCreated")) {
                    requests.add(params.getString("url"));
                }
            }
        } catch (RuntimeException e) {
            // the browser is busy or gone: nothing to collect now
        }
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temp folder
            }
        }
    }
}
