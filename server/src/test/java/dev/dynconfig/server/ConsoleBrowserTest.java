package dev.dynconfig.server;

import static dev.dynconfig.server.ServerFixture.EDITOR_TOKEN;
import static dev.dynconfig.server.ServerFixture.READ;
import static dev.dynconfig.server.ServerFixture.READER_TOKEN;
import static dev.dynconfig.server.ServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dynconfig.DynamicConfig;
import dev.dynconfig.DynamicConfigOptions;
import dev.dynconfig.SourceKind;
import dev.dynconfig.testing.Await;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless Chromium against a real server: every test signs in through
 * the page and acts as an operator would.
 */
class ConsoleBrowserTest {
  static final ObjectMapper M = new ObjectMapper();
  static final String DOC =
      """
      {"version": 5, "roles": ["viewer", "user", "admin"],
       "flags": [
         {"key": "checkout", "name": "One-page checkout", "description": "The new checkout flow",
          "defaultValue": false, "environments": ["prod", "staging"]},
         {"key": "pricing", "name": "New pricing", "description": "10% off, half of the users",
          "defaultValue": true, "rolloutPercentage": 50},
         {"key": "search-v2", "name": "Search v2", "defaultValue": true, "minRole": "user",
          "targeting": {"if": [{"in": [{"var": "plan"}, ["premium"]]}, true, false]}},
         {"key": "old-banner", "name": "Winter banner", "defaultValue": true,
          "expiresAt": "2026-03-01T00:00:00Z"}
       ],
       "tests": [
         {"id": "checkout-experiment", "name": "Checkout flow", "status": "running",
          "startDate": "2026-11-01T00:00:00Z",
          "variants": [{"id": "control", "isControl": true, "config": {"steps": 3}},
                       {"id": "express", "config": {"steps": 1}}],
          "allocation": {"control": 50, "express": 50}}
       ],
       "config": {"ui": {"theme": "dark"}, "checkout": {"timeoutMs": 1500}}}
      """;

  static ChromeDriver driver;
  static Path profile;

  @TempDir Path dir;
  DynconfigServer server;
  WebDriverWait wait;

  @BeforeAll
  static void browser() throws Exception {
    String[] why = new String[1];
    String[] binaries = Browser.find(why);
    Assumptions.assumeTrue(binaries != null, why[0]);
    profile = Files.createTempDirectory("dynconfig-chromium-");
    driver = Browser.start(binaries, profile);
  }

  @AfterAll
  static void closeBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  @BeforeEach
  void startServer() throws Exception {
    Path f = dir.resolve("flags.json");
    Files.writeString(f, DOC);
    server = ServerFixture.builder(f).build().start();
    // A hang guard: chromium on two cores shared with other builds can take many seconds a step.
    wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    driver.manage().window().setSize(new Dimension(1280, 800));
    driver.get(base() + "/console/");
    driver.manage().deleteAllCookies(); // cookies are per host, not per port: start signed out
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  String base() {
    return "http://127.0.0.1:" + server.port();
  }

  void signIn(String token) {
    driver.get(base() + "/");
    WebElement input = wait.until(ExpectedConditions.elementToBeClickable(By.name("token")));
    input.sendKeys(token, Keys.ENTER);
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("principal")));
    wait.until(ExpectedConditions.textToBe(By.cssSelector("#live"), "live")); // the stream is open
  }

  WebElement row(String key) {
    return wait.until(
        ExpectedConditions.visibilityOfElementLocated(
            By.cssSelector("#flags tr[data-key='" + key + "']")));
  }

  JsonNode flag(String key) throws Exception {
    JsonNode doc = M.readTree(send(server, "GET", "/v1/flags", READ, null).body());
    for (JsonNode f : doc.path("flags")) {
      if (f.path("key").asText().equals(key)) {
        return f;
      }
    }
    return null;
  }

  void awaitStatus(String contains) {
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), contains));
  }

  @Test
  void signIn_flipAFlag_andAnEngineOnTheWebSocketReceivesIt() throws Exception {
    try (DynamicConfig engine =
        DynamicConfig.create(
            DynamicConfigOptions.builder()
                .source(SourceKind.WEBSOCKET)
                .url(URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream"))
                .token(READ)
                .cacheFile(dir.resolve("engine-cache.json"))
                .registerJmx(false)
                .build())) {
      engine.initialize();
      Await.await("the engine has the document", () -> engine.getState() != null);
      assertThat(engine.isFlagEnabled("checkout")).isFalse();

      signIn(EDITOR_TOKEN);
      assertThat(driver.findElement(By.id("principal")).getText()).isEqualTo("ed");
      assertThat(row("old-banner").findElement(By.cssSelector("td.expired")).getText())
          .contains("expired");

      row("checkout").findElement(By.cssSelector("button.toggle")).click();
      awaitStatus("Saved");
      Await.await("the engine sees checkout on", () -> engine.isFlagEnabled("checkout"));
      wait.until(
          d -> row("checkout").findElement(By.cssSelector("button.toggle")).getText().equals("on"));
      assertThat(flag("checkout").path("defaultValue").asBoolean()).isTrue();
      wait.until(
          d -> row("checkout").findElement(By.cssSelector("td.changed")).getText().contains("ed"));
      Browser.screenshot(driver, "console-flags");

      driver.findElement(By.id("flag-filter")).sendKeys("pric");
      wait.until(d -> d.findElements(By.cssSelector("#flags tbody tr")).size() == 1);
      assertThat(row("pricing").isDisplayed()).isTrue();
    }
  }

  @Test
  void rolloutSlider_savesTheNewPercentage() throws Exception {
    signIn(EDITOR_TOKEN);
    WebElement slider = row("pricing").findElement(By.cssSelector("input.rollout"));
    slider.sendKeys(Keys.HOME);
    awaitStatus("rollout 0%");
    assertThat(flag("pricing").path("rolloutPercentage").asInt()).isZero();
    row("pricing").findElement(By.cssSelector("input.rollout")).sendKeys(Keys.ARROW_RIGHT);
    awaitStatus("rollout 1%");
    assertThat(flag("pricing").path("rolloutPercentage").asInt()).isEqualTo(1);
  }

  @Test
  void anInvalidTargetingRule_isRefused_andItsProblemShownNextToTheField() throws Exception {
    signIn(EDITOR_TOKEN);
    long before = server.version();
    row("search-v2").findElement(By.cssSelector("button.edit")).click();
    WebElement targeting =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("targeting")));
    targeting.clear();
    targeting.sendKeys("{\"if\": [{\"no-such-operator\": [1]}, true, false]}");
    driver.findElement(By.cssSelector("dialog .actions button.primary")).click();
    WebElement problems =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog [data-field='targeting'] .problems .problem")));
    assertThat(problems.getText()).contains("targeting").contains("no-such-operator");
    Browser.screenshot(driver, "console-refused-rule");
    assertThat(server.version()).as("nothing was saved").isEqualTo(before);

    targeting.clear();
    targeting.sendKeys("{\"if\": [");
    driver.findElement(By.cssSelector("dialog .actions button.primary")).click();
    wait.until(
        ExpectedConditions.textToBePresentInElementLocated(
            By.cssSelector("dialog [data-field='targeting'] .problems"), "not valid JSON"));
  }

  @Test
  void aConflictingEdit_isRefusedWith409_andShown() throws Exception {
    signIn(EDITOR_TOKEN);
    row("checkout").findElement(By.cssSelector("button.edit")).click();
    WebElement name = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("name")));
    // Someone else saves the same flag while the dialog is open.
    assertThat(
            send(
                    server,
                    "PUT",
                    "/v1/admin/flags/checkout",
                    ServerFixture.ADMIN_TOKEN,
                    "{\"defaultValue\": true, \"name\": \"Theirs\"}")
                .statusCode())
        .isEqualTo(200);
    name.clear();
    name.sendKeys("Mine");
    driver.findElement(By.cssSelector("dialog .actions button.primary")).click();
    WebElement general =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("dialog .problems.general .problem")));
    assertThat(general.getText()).contains("409").contains("ada");
    assertThat(flag("checkout").path("name").asText()).isEqualTo("Theirs");
  }

  @Test
  void history_showsChangesLive_andRevertsOne() throws Exception {
    signIn(EDITOR_TOKEN);
    driver.findElement(By.cssSelector(".nav a[data-page='history']")).click();
    // A change through the API shows up without a reload.
    send(
        server,
        "PUT",
        "/v1/admin/flags/checkout",
        ServerFixture.ADMIN_TOKEN,
        "{\"defaultValue\": true}");
    WebElement card =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#history article.change")));
    assertThat(card.getText()).contains("PUT flags/checkout").contains("ada").contains("api");
    assertThat(card.findElement(By.cssSelector(".item")).getText())
        .contains("defaultValue")
        .contains("false")
        .contains("true");
    Browser.screenshot(driver, "console-history");
    card.findElement(By.cssSelector("button.revert")).click();
    awaitStatus("Reverted");
    assertThat(flag("checkout").path("defaultValue").asBoolean()).isFalse();
    wait.until(
        d ->
            d.findElement(By.cssSelector("#history article.change"))
                .getText()
                .contains("revert change"));
    assertThat(driver.findElement(By.cssSelector("#history article.change")).getText())
        .contains("ed")
        .contains("console");
  }

  @Test
  void aReader_seesEverything_butEveryWriteControlIsDisabled() throws Exception {
    signIn(READER_TOKEN);
    assertThat(row("checkout").findElement(By.cssSelector("button.toggle")).isEnabled()).isFalse();
    assertThat(row("pricing").findElement(By.cssSelector("input.rollout")).isEnabled()).isFalse();
    assertThat(row("pricing").findElement(By.cssSelector("button.delete")).isEnabled()).isFalse();
    assertThat(driver.findElement(By.id("new-flag")).isEnabled()).isFalse();
    driver.findElement(By.cssSelector(".nav a[data-page='history']")).click();
    send(server, "PUT", "/v1/admin/config/ui/theme", EDITOR_TOKEN, "\"light\"");
    WebElement revert =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#history article.change button.revert")));
    assertThat(revert.isEnabled()).isFalse();
    // Even a hand-made request from the page is refused by the server.
    Object status =
        driver.executeAsyncScript(
            "const done = arguments[0];"
                + "fetch('/v1/admin/flags/checkout', {method: 'PUT', body: '{}',"
                + " headers: {'Content-Type': 'application/json'}}).then(r => done(r.status));");
    assertThat(((Number) status).intValue()).isEqualTo(403);
  }

  @Test
  void fleetPage_showsReportedInstances_keysAndFindings_asText() throws Exception {
    String report =
        """
        {"type": "report", "instance": "i-1", "app": "<b>shop</b>", "host": "vm-1", "pid": 42,
         "version": 5, "state": "CONNECTED",
         "sites": [{"kind": "flag", "key": "pricing", "method": "com.acme.Shop#price()"},
                   {"kind": "flag", "key": "pricnig", "method": "com.acme.Shop#typo()"}],
         "unknownKeys": {"pricnig": ["com.acme.Shop#typo()"]},
         "exposures": [{"kind": "flag", "key": "pricing", "variant": "true", "count": 7}]}
        """;
    assertThat(send(server, "POST", "/v1/report", READ, report).statusCode()).isEqualTo(204);
    signIn(READER_TOKEN);
    driver.findElement(By.cssSelector(".nav a[data-page='fleet']")).click();
    WebElement instance =
        wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#instances tr[data-instance='i-1']")));
    assertThat(instance.getText()).contains("<b>shop</b>").contains("vm-1");
    assertThat(driver.findElements(By.cssSelector("#fleet b"))).isEmpty();
    assertThat(
            driver
                .findElement(By.cssSelector("#findings li[data-finding='unknown-key']"))
                .getText())
        .contains("pricnig")
        .contains("closest existing key: pricing")
        .contains("com.acme.Shop#typo()");
    assertThat(driver.findElement(By.cssSelector("#keys tr[data-key='flag pricing']")).getText())
        .contains("com.acme.Shop#price()")
        .contains("true: 7");
  }

  @Test
  void aFlagNamedWithMarkup_isShownAsText_andNeverRuns() throws Exception {
    String xss = "<img src=x onerror=alert(1)>";
    assertThat(
            send(
                    server,
                    "PUT",
                    "/v1/admin/flags/xss",
                    EDITOR_TOKEN,
                    M.writeValueAsString(
                        M.createObjectNode()
                            .put("defaultValue", true)
                            .put("name", xss)
                            .put("description", "<script>alert(2)</script>")))
                .statusCode())
        .isEqualTo(200);
    signIn(EDITOR_TOKEN);
    WebElement r = row("xss");
    assertThat(r.findElement(By.cssSelector("td.name")).getText()).isEqualTo(xss);
    assertThat(driver.findElements(By.cssSelector("#flags img"))).isEmpty();
    driver.findElement(By.cssSelector(".nav a[data-page='history']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#history article")));
    assertThat(driver.findElements(By.cssSelector("#history img, #history script"))).isEmpty();
    boolean alert;
    try {
      driver.switchTo().alert();
      alert = true;
    } catch (NoAlertPresentException e) {
      alert = false;
    }
    assertThat(alert).as("no script ran").isFalse();
  }

  @Test
  void abTestAllocation_mustSumTo100BeforeSending_andConfigValuesAreEditedAsJson()
      throws Exception {
    signIn(EDITOR_TOKEN);
    driver.findElement(By.cssSelector(".nav a[data-page='tests']")).click();
    wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#tests tr[data-key='checkout-experiment'] button.edit")))
        .click();
    WebElement control =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("alloc-control")));
    control.clear();
    control.sendKeys("60");
    WebElement save = driver.findElement(By.cssSelector("dialog .actions button.primary"));
    assertThat(driver.findElement(By.id("allocation-sum")).getText())
        .contains("110")
        .contains("must add up to 100");
    assertThat(save.isEnabled()).isFalse();
    WebElement express = driver.findElement(By.name("alloc-express"));
    express.clear();
    express.sendKeys("40");
    wait.until(ExpectedConditions.elementToBeClickable(save)).click();
    awaitStatus("Saved");
    JsonNode doc = M.readTree(send(server, "GET", "/v1/flags", READ, null).body());
    assertThat(doc.path("tests").get(0).path("allocation").path("control").asInt()).isEqualTo(60);

    driver.findElement(By.cssSelector(".nav a[data-page='config']")).click();
    wait.until(
            ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("tr[data-key='ui/theme'] button.edit")))
        .click();
    WebElement value = wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("value")));
    value.clear();
    value.sendKeys("\"light\"");
    driver.findElement(By.cssSelector("dialog .actions button.primary")).click();
    // The allocation's "Saved (version 6)" is still shown: wait for this save's own message.
    awaitStatus("Saved (version 7)");
    doc = M.readTree(send(server, "GET", "/v1/flags", READ, null).body());
    assertThat(doc.path("config").path("ui").path("theme").asText()).isEqualTo("light");
  }

  @Test
  void createAndDeleteAFlag_deleteNeedsTheKeyTyped_andTheTokenIsNeverStoredInThePage()
      throws Exception {
    signIn(EDITOR_TOKEN);
    Object stored =
        driver.executeScript(
            "return localStorage.length + sessionStorage.length + document.cookie.length");
    assertThat(((Number) stored).intValue())
        .as("nothing in web storage, and the session cookie is HttpOnly")
        .isZero();
    assertThat(driver.getPageSource()).doesNotContain(EDITOR_TOKEN);

    driver.findElement(By.id("new-flag")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("key"))).sendKeys("dark-mode");
    driver.findElement(By.name("name")).sendKeys("Dark mode");
    driver.findElement(By.name("defaultValue")).click();
    driver.findElement(By.cssSelector("dialog .actions button.primary")).click();
    awaitStatus("Saved");
    assertThat(flag("dark-mode").path("name").asText()).isEqualTo("Dark mode");
    assertThat(flag("dark-mode").path("defaultValue").asBoolean()).isTrue();

    row("dark-mode").findElement(By.cssSelector("button.delete")).click();
    WebElement confirm =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("confirm")));
    WebElement delete = driver.findElement(By.cssSelector("dialog button.danger"));
    confirm.sendKeys("dark-mod");
    assertThat(delete.isEnabled()).isFalse();
    confirm.sendKeys("e");
    wait.until(ExpectedConditions.elementToBeClickable(delete)).click();
    awaitStatus("Deleted dark-mode");
    assertThat(flag("dark-mode")).isNull();

    driver.findElement(By.id("signout")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));
    driver.navigate().refresh();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("token")));
  }

  @Test
  void aFlagdDocument_isTheSameTable_overStateAndVariants() throws Exception {
    server.close();
    Path f = dir.resolve("flagd.json");
    Files.writeString(
        f,
        """
        {"$schema": "https://flagd.dev/schema/v0/flags.json",
         "flags": {"show-banner": {"state": "ENABLED", "variants": {"on": true, "off": false},
                                   "defaultVariant": "off"}}}
        """);
    server = ServerFixture.builder(f).build().start();
    signIn(EDITOR_TOKEN);
    WebElement banner = row("show-banner");
    assertThat(banner.getText()).contains("off").contains("\"on\":true");
    banner.findElement(By.cssSelector("button.toggle")).click();
    awaitStatus("Saved");
    JsonNode doc = M.readTree(send(server, "GET", "/v1/flags", READ, null).body());
    assertThat(doc.path("flags").path("show-banner").path("state").asText()).isEqualTo("DISABLED");
    // The status still reads "Saved" from the toggle: wait for the second save's own message.
    String afterToggle = driver.findElement(By.id("status")).getText();
    row("show-banner").findElement(By.cssSelector("button.edit")).click();
    WebElement dv =
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.name("defaultVariant")));
    dv.clear();
    dv.sendKeys("on");
    driver.findElement(By.cssSelector("dialog .actions button.primary")).click();
    wait.until(ExpectedConditions.not(ExpectedConditions.textToBe(By.id("status"), afterToggle)));
    awaitStatus("Saved");
    doc = M.readTree(send(server, "GET", "/v1/flags", READ, null).body());
    assertThat(doc.path("flags").path("show-banner").path("defaultVariant").asText())
        .isEqualTo("on");
  }

  @Test
  void atPhoneWidth_theFlagTableStillWorks() throws Exception {
    driver.manage().window().setSize(new Dimension(390, 844));
    signIn(EDITOR_TOKEN);
    WebElement toggle = row("checkout").findElement(By.cssSelector("button.toggle"));
    ((org.openqa.selenium.JavascriptExecutor) driver)
        .executeScript("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", toggle);
    toggle.click();
    awaitStatus("Saved");
    Browser.screenshot(driver, "console-flags-phone");
    assertThat(flag("checkout").path("defaultValue").asBoolean()).isTrue();
    List<WebElement> nav = driver.findElements(By.cssSelector(".nav a"));
    assertThat(nav).allMatch(WebElement::isDisplayed);
  }
}
