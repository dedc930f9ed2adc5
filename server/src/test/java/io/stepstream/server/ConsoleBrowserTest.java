package io.stepstream.server;

import static io.stepstream.server.SfnTestClients.ROLE;
import static io.stepstream.server.SfnTestClients.awaitStatus;
import static io.stepstream.server.SfnTestClients.waitFor;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepstream.gateway.api.Arns;
import io.stepstream.worker.TaskHandlers;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.MapRunListItem;

/**
 * The web console in a real headless Chromium (Debian's {@code chromium} and {@code chromium-driver}
 * packages, driven by Selenium) against {@code stepstream dev}: every page loads without a script
 * error, a failed execution's graph shows its failed state in red, and a Distributed Map run's counts
 * move on the page while it polls. Screenshots of each page go to {@code server/target/console/}.
 */
class ConsoleBrowserTest {

  static final String ORDERS = """
      {"StartAt": "Validate", "States": {
        "Validate": {"Type": "Pass", "Next": "Check stock"},
        "Check stock": {"Type": "Choice", "Choices": [{"Variable": "$.qty", "NumericGreaterThan": 10, "Next": "Out of stock"}],
          "Default": "Fulfil"},
        "Fulfil": {"Type": "Parallel", "Branches": [
            {"StartAt": "Reserve", "States": {
              "Reserve": {"Type": "Pass", "Next": "Charge"},
              "Charge": {"Type": "Choice", "Choices": [{"Variable": "$.card", "StringEquals": "declined", "Next": "Card declined"}],
                "Default": "Charged"},
              "Card declined": {"Type": "Fail", "Error": "Payment.Declined", "Cause": "The card was declined"},
              "Charged": {"Type": "Succeed"}}},
            {"StartAt": "Notify", "States": {"Notify": {"Type": "Pass", "Next": "Log"}, "Log": {"Type": "Pass", "End": true}}}],
          "Catch": [{"ErrorEquals": ["Payment.Declined"], "Next": "Refund"}], "Next": "Ship"},
        "Refund": {"Type": "Pass", "Next": "Order failed"},
        "Order failed": {"Type": "Fail", "Error": "OrderFailed", "Cause": "Payment declined"},
        "Ship": {"Type": "Pass", "Next": "Done"},
        "Out of stock": {"Type": "Fail", "Error": "OutOfStock", "Cause": "Not enough items"},
        "Done": {"Type": "Succeed"}}}""";

  /** A Distributed Map whose children each wait for the gate, then in a Wait state; items marked bad fail. */
  static final String BATCH = """
      {"StartAt": "Process items", "States": {"Process items": {"Type": "Map", "MaxConcurrency": 1,
        "ToleratedFailurePercentage": 100,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
          "StartAt": "Hold", "States": {
            "Hold": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:console-gate",
              "ResultPath": null, "Next": "Bad?"},
            "Bad?": {"Type": "Choice", "Choices": [{"Variable": "$.bad", "BooleanEquals": true, "Next": "Broken"}],
              "Default": "Settle"},
            "Broken": {"Type": "Fail", "Error": "Item.Broken", "Cause": "a bad item"},
            "Settle": {"Type": "Wait", "Seconds": 1, "End": true}}},
        "End": true}}}""";

  static final String ITEMS = "[{\"n\":1,\"bad\":false},{\"n\":2,\"bad\":false},{\"n\":3,\"bad\":true},"
      + "{\"n\":4,\"bad\":false},{\"n\":5,\"bad\":false},{\"n\":6,\"bad\":true}]";

  /** Holds every child's task until the test opens it. */
  static final CountDownLatch GATE = new CountDownLatch(1);

  @TempDir
  static Path dataDir;
  @TempDir
  static Path profile;
  static DevMode dev;
  static SfnClient sfn;
  static ChromeDriver browser;
  static Path screenshots;

  @BeforeAll
  static void start() throws IOException {
    Chromium.installIfMissing();
    Path chromium = Chromium.browser();
    Path driver = Chromium.driver();
    Assumptions.assumeTrue(chromium != null && driver != null,
        "Chromium and its driver are not installed (apt-get install -y chromium chromium-driver): the console is not "
            + "tested in a browser");
    TaskHandlers handlers = TaskHandlers.builder()
        .register("console-gate", JsonNode.class, (input, context) -> {
          GATE.await(120, TimeUnit.SECONDS);
          return input;
        })
        .defaultConcurrency(8)
        .build();
    dev = DevMode.start(dataDir, "127.0.0.1", 0, 2, Arns.defaults(), handlers);
    sfn = SfnTestClients.client(dev.endpoint());
    browser = Chromium.start(chromium, driver, profile);
    screenshots = Files.createDirectories(Path.of("target", "console"));
  }

  @AfterAll
  static void stop() {
    GATE.countDown();
    if (browser != null) {
      browser.quit();
    }
    if (sfn != null) {
      sfn.close();
    }
    if (dev != null) {
      dev.close();
    }
  }

  @Test
  void shouldShowMachinesExecutionsAFailedGraphAndMapRunCountsAsTheyMove() throws IOException {
    String orders = create("orders", ORDERS);
    String shipped = start(orders, "order-1", "{\"qty\": 2, \"card\": \"ok\"}");
    String declined = start(orders, "order-2", "{\"qty\": 2, \"card\": \"declined\"}");
    String outOfStock = start(orders, "order-3", "{\"qty\": 40, \"card\": \"ok\"}");
    awaitStatus(sfn, shipped, ExecutionStatus.SUCCEEDED);
    awaitStatus(sfn, declined, ExecutionStatus.FAILED);
    awaitStatus(sfn, outOfStock, ExecutionStatus.FAILED);

    // State machines: the list, then one machine with its graph (a Parallel drawn with its branches).
    open("/state-machines");
    assertThat(browser.findElement(By.id("state-machines")).getText()).contains("orders");
    screenshot("state-machines");
    open("/state-machine/" + encode(orders));
    assertThat(browser.findElements(By.cssSelector("#graph [data-state]"))).hasSize(14);
    assertThat(browser.findElements(By.cssSelector("#graph .branch"))).hasSize(2);
    // Versions and aliases come from other actions; a server without them says so instead of failing.
    assertThat(browser.findElement(By.id("versions")).getText()).isNotBlank();
    assertThat(browser.findElements(By.cssSelector("#versions .notice-error, #aliases .notice-error"))).isEmpty();
    screenshot("state-machine");

    // Executions, filtered by status, newest first.
    open("/executions?" + "stateMachine=" + encode(orders) + "&status=FAILED");
    assertThat(new Select(browser.findElement(By.id("status-filter"))).getFirstSelectedOption().getText()).isEqualTo("FAILED");
    List<String> failed = browser.findElements(By.cssSelector("#executions tbody tr")).stream()
        .map(row -> row.getDomAttribute("data-execution")).toList();
    assertThat(failed).containsExactly(outOfStock, declined);
    screenshot("executions");

    // One failed execution: the state that failed is red, the path to it green, the rest not reached.
    open("/execution/" + encode(declined));
    assertThat(state("Card declined").getDomAttribute("class")).contains("status-failed");
    assertThat(state("Card declined").findElement(By.tagName("rect")).getCssValue("stroke")).isEqualTo("rgb(220, 38, 38)");
    assertThat(state("Validate").getDomAttribute("class")).contains("status-succeeded");
    assertThat(state("Fulfil").getDomAttribute("class")).contains("status-caught");
    assertThat(state("Order failed").getDomAttribute("class")).contains("status-failed");
    assertThat(state("Ship").getDomAttribute("data-status")).isNull();
    assertThat(browser.findElements(By.cssSelector("path.edge.taken[data-from='Validate'][data-to='Check stock']"))).hasSize(1);
    assertThat(browser.findElement(By.id("events")).getText()).contains("FailStateEntered", "ExecutionFailed");
    assertThat(browser.findElement(By.id("redrive")).isEnabled()).isTrue();
    state("Card declined").click();
    assertThat(browser.findElement(By.id("inspector")).getText()).contains("Card declined", "\"card\": \"declined\"");
    screenshot("execution");

    // A map run: counts move on the page while it polls, UpdateMapRun from the form, links to failed children.
    String batch = create("batch", BATCH);
    String parent = start(batch, "nightly", ITEMS);
    String mapRun = waitFor(() -> {
      List<MapRunListItem> runs = sfn.listMapRuns(b -> b.executionArn(parent)).mapRuns();
      return runs.isEmpty() ? null : runs.get(0).mapRunArn();
    }, "the map run");
    waitFor(() -> sfn.describeMapRun(b -> b.mapRunArn(mapRun)).executionCounts().running() == 1 ? true : null,
        "the first child to run");
    open("/map-run/" + encode(mapRun));
    assertThat(count("executions", "running")).isEqualTo("1");
    assertThat(count("executions", "succeeded")).isEqualTo("0");

    WebElement concurrency = browser.findElement(By.id("max-concurrency"));
    concurrency.clear();
    concurrency.sendKeys("3");
    browser.findElement(By.cssSelector("#update-map-run button")).click();
    waitUntil("the page to show the update", () -> browser.findElement(By.id("update-map-run")).findElement(By.xpath(".."))
        .getText().contains("Map run updated."));
    assertThat(sfn.describeMapRun(b -> b.mapRunArn(mapRun)).maxConcurrency()).isEqualTo(3);
    waitUntil("three children running on the page", () -> count("executions", "running").equals("3"));
    screenshot("map-run-running");

    GATE.countDown();
    // The page stops polling once it has shown the run's end.
    waitUntil("the map run to end on the page", () -> count("executions", "succeeded").equals("4")
        && count("executions", "failed").equals("2")
        && browser.findElement(By.tagName("h1")).getText().contains("SUCCEEDED"));
    assertThat(count("items", "succeeded")).isEqualTo("4");
    assertThat(count("items", "total")).isEqualTo("6");
    waitUntil("both failed children listed", () -> browser.findElements(By.cssSelector("#failed-executions tbody tr[data-execution]"))
        .size() == 2);
    screenshot("map-run");
    assertNoScriptErrors();

    String child = browser.findElement(By.cssSelector("#failed-executions tbody tr[data-execution] a")).getDomAttribute("href");
    open(child.substring(1));
    assertThat(state("Broken").getDomAttribute("class")).contains("status-failed");
    assertThat(state("Settle").getDomAttribute("data-status")).isNull();
    assertNoScriptErrors();
  }

  private static String create(String name, String definition) {
    return sfn.createStateMachine(b -> b.name(name).roleArn(ROLE).definition(definition)).stateMachineArn();
  }

  private static String start(String machine, String name, String input) {
    return sfn.startExecution(b -> b.stateMachineArn(machine).name(name).input(input)).executionArn();
  }

  private static String encode(String arn) {
    return URLEncoder.encode(arn, StandardCharsets.UTF_8);
  }

  /** Opens a page of the console and waits until it has loaded. */
  private static void open(String route) {
    // Between pages only the fragment changes: the document stays, so its ready flag must be reset first.
    if (browser.getCurrentUrl().startsWith(dev.endpoint())) {
      ((JavascriptExecutor) browser).executeScript("document.body.dataset.ready = 'false'");
    }
    browser.get(dev.endpoint() + "/console/#" + route);
    awaitReady();
    assertNoScriptErrors();
  }

  private static void awaitReady() {
    new WebDriverWait(browser, Duration.ofSeconds(60))
        .until(ExpectedConditions.attributeToBe(By.tagName("body"), "data-ready", "true"));
  }

  private static WebElement state(String name) {
    return browser.findElement(By.cssSelector("#graph [data-state='" + name + "']"));
  }

  /** Reads a count in one script call: the page re-renders the counts table on every poll. */
  private static String count(String kind, String counter) {
    return String.valueOf(((JavascriptExecutor) browser).executeScript(
        "return document.querySelector(\"[data-kind='\" + arguments[0] + \"'][data-counter='\" + arguments[1] + \"']\").textContent",
        kind, counter));
  }

  private static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    new WebDriverWait(browser, Duration.ofSeconds(90))
        .withMessage(() -> what + "; the page shows: " + ((JavascriptExecutor) browser).executeScript(
            "return document.getElementById('view').innerText + ' | errors: ' + window.__consoleErrors"))
        .ignoring(StaleElementReferenceException.class)
        .until(d -> condition.getAsBoolean());
  }

  private static void assertNoScriptErrors() {
    Object pageErrors = ((JavascriptExecutor) browser).executeScript("return window.__consoleErrors || []");
    assertThat((List<?>) pageErrors).as("errors the console reported").isEmpty();
    // An API error answer (such as UnknownOperationException for versions on a server without them) is
    // logged by Chromium as a failed load of "/"; the page handles those, and reports the ones it does not.
    String apiError = dev.endpoint() + "/ - Failed to load resource: the server responded with a status of 400";
    List<String> severe = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .filter(entry -> !entry.getMessage().startsWith(apiError))
        .map(LogEntry::getMessage)
        .toList();
    assertThat(severe).as("errors in the browser's console").isEmpty();
  }

  /** Saves the whole page (up to 2,400 pixels high) as a PNG, for docs/console. */
  private static void screenshot(String name) throws IOException {
    Number height = (Number) ((JavascriptExecutor) browser).executeScript(
        "return Math.min(2400, Math.max(1000, document.documentElement.scrollHeight))");
    browser.manage().window().setSize(new Dimension(1400, height.intValue()));
    Files.write(screenshots.resolve(name + ".png"), browser.getScreenshotAs(OutputType.BYTES));
    browser.manage().window().setSize(new Dimension(1400, 1000));
  }

  /** Finds Debian's Chromium and chromedriver, and starts them headless with a fresh profile. */
  static final class Chromium {

    private Chromium() {}

    static Path browser() {
      return first("chromium", "chromium-browser", "google-chrome");
    }

    /**
     * On a fresh Debian machine, installs the browser and its driver from Debian's packages, as Maven
     * downloads the other test dependencies: the README's test command needs no set-up of its own.
     * Only as root with apt-get; elsewhere the test is skipped with the command to run.
     */
    static void installIfMissing() {
      if (browser() != null && driver() != null || !"root".equals(System.getProperty("user.name"))
          || !Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
        return;
      }
      System.out.println("ConsoleBrowserTest: installing Debian's chromium and chromium-driver with apt-get ...");
      try {
        Process install = new ProcessBuilder("sh", "-c",
            "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver")
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!install.waitFor(10, TimeUnit.MINUTES)) {
          install.destroyForcibly();
        }
      } catch (IOException e) {
        System.out.println("ConsoleBrowserTest: apt-get failed: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    static Path driver() {
      return first("chromedriver");
    }

    private static Path first(String... names) {
      for (String dir : List.of("/usr/bin", "/usr/local/bin", "/usr/lib/chromium")) {
        for (String name : names) {
          Path path = Path.of(dir, name);
          if (Files.isExecutable(path)) {
            return path;
          }
        }
      }
      return null;
    }

    static ChromeDriver start(Path chromium, Path driver, Path profile) {
      ChromeOptions options = new ChromeOptions();
      options.setBinary(chromium.toFile());
      options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
          "--hide-scrollbars", "--window-size=1400,1000", "--user-data-dir=" + profile.toAbsolutePath());
      LoggingPreferences logs = new LoggingPreferences();
      logs.enable(LogType.BROWSER, Level.ALL);
      options.setCapability("goog:loggingPrefs", logs);
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(driver.toFile())
          .usingAnyFreePort()
          .build();
      return new ChromeDriver(service, options);
    }
  }
}
