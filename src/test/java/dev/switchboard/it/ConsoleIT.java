package dev.switchboard.it;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console in a real browser (Debian's chromium, headless) against a real server of its own, which
 * the last test stops and starts again: sign-in, every page with live data and no console error and no request
 * outside the server, a service made in the UI, an execution watched on the graph, a 20 MB upload paused,
 * reloaded and resumed, a notification received by an rtc client, a read-only user, reconnection after a restart.
 * The screenshots of the README are taken here.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    static final Duration LONG = Duration.ofSeconds(90);

    static AppServer server;
    static Browser browser;
    static String admin;
    static String base;

    @BeforeAll
    static void start() {
        server = AppServer.create("console", Map.of(
                "NODE_STATUS_INTERVAL_SECONDS", "2",
                "SERVICE_PUSH_INTERVAL_SECONDS", "3",
                "WORKFLOW_PUSH_INTERVAL_SECONDS", "3",
                "METRICS_INTERVAL_SECONDS", "1",
                "AGENT_HEARTBEAT_INTERVAL_SECONDS", "2",
                "ALERTS_SECURITY_AUTH_FAILURES_PER_INTERVAL", "2",
                "UPLOAD_MAX_FILE_BYTES", String.valueOf(64L * 1024 * 1024)));
        server.start();
        admin = Api.adminToken(server);
        base = "http://127.0.0.1:" + server.port();
        browser = new Browser(1280, 800);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    static void signIn(String user, String password) {
        browser.open(base + "/admin/");
        WebElement name = browser.await("#login-form input[name=username]");
        // keyboard only: type, Tab to the password, Enter submits
        name.sendKeys(user, Keys.TAB);
        browser.driver.switchTo().activeElement().sendKeys(password, Keys.ENTER);
        browser.await("body[data-live=up]", LONG);
    }

    static void signOut() {
        browser.click("#sign-out");
        browser.await("#login-form");
    }

    static void assertNoErrorsNorStrangers() {
        assertEquals(List.of(), browser.takeErrors(), "console errors");
        // what goes over the network (the browser's own chrome:// pages, data: and blob: URLs do not)
        List<String> outside = browser.requests().stream()
                .filter(u -> u.matches("(?i)^(https?|wss?)://.*"))
                .filter(u -> !u.startsWith(base + "/") && !u.startsWith("ws://127.0.0.1:" + server.port() + "/"))
                .toList();
        assertEquals(List.of(), outside, "requests outside the server");
    }

    @Test
    @Order(1)
    void signInAndEveryPageShowsLiveData() throws Exception {
        Api.call(server, "POST", "/api/services", admin,
                "{\"name\":\"seed-data\",\"type\":\"DATA\",\"description\":\"files for everyone\",\"config\":{}}");
        // a browser at / is sent to the console
        browser.open(base + "/");
        browser.await("#login-form");
        assertTrue(browser.driver.getCurrentUrl().startsWith(base + "/admin/"), browser.driver.getCurrentUrl());
        browser.screenshot("sign-in");
        signIn("admin", AppServer.ADMIN_PASSWORD);

        // overview: the node's identity from node.status, charts from /metrics, an alert from the vault topic
        browser.await("body[data-page=overview]");
        browser.until(d -> browser.all("#identity dd[data-key='Peer id']").stream()
                .anyMatch(e -> e.getText().startsWith("12D3KooW")) ? Boolean.TRUE : null, LONG, "the node's peer id");
        browser.until(d -> browser.all("#charts polyline").size() >= 4 ? Boolean.TRUE : null, LONG, "charts with two samples");
        browser.until(d -> browser.all("#identity dd[data-key='Cluster members']").stream()
                .anyMatch(e -> e.getText().startsWith("1 (this instance alone)")) ? Boolean.TRUE : null, LONG, "the cluster's members");
        for (int i = 0; i < 8; i++) {
            Api.login(server, "admin", "wrong-password-" + i);
        }
        browser.await("#alerts li.alert", LONG);
        assertTrue(browser.await("#alerts").getText().contains("security"), browser.await("#alerts").getText());
        browser.resize(390, 844);
        browser.await("#menu-toggle");
        browser.screenshot("overview-phone");
        browser.resize(1280, 800);

        browser.go("#/services");
        browser.await("#services-list tr[data-service='seed-data']");
        browser.screenshot("services");

        browser.go("#/workflows");
        browser.await("#workflows-list");

        browser.go("#/messaging");
        browser.await("#presence li[data-user='admin']", LONG);
        browser.await("#chat-form[data-live=up]", LONG);
        WebElement chat = browser.await("#chat-form input[name=text]");
        String said = "hello from the console " + UUID.randomUUID();
        chat.sendKeys(said, Keys.ENTER);
        browser.until(d -> browser.await("#chat-log").getText().contains(said) ? Boolean.TRUE : null, LONG, "the chat message");
        browser.screenshot("messaging");

        browser.go("#/connections");
        browser.await("#connections-list tr[data-dialect='rtc']");
        browser.await("#connections-list tr[data-dialect='node']");
        browser.screenshot("connections");

        browser.go("#/events");
        browser.click("#hide-beats");
        browser.await("#event-tail li[data-event='agent:heartbeat']", LONG);
        browser.screenshot("events");

        browser.go("#/users");
        browser.await("#users-list tr[data-user='admin']");
        browser.screenshot("users");

        browser.go("#/account");
        assertEquals("admin", browser.await("#account-user").getText());
        assertNoErrorsNorStrangers();
    }

    @Test
    @Order(2)
    void aServiceMadeInTheConsoleIsInTheApi() {
        browser.go("#/services/new");
        WebElement form = browser.await("#service-form");
        form.findElement(By.name("name")).sendKeys("not a name!");
        new Select(form.findElement(By.name("type"))).selectByValue("DOCKER");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        // the server's field errors appear at their fields
        assertTrue(browser.await(".field[data-field='name'] .field-error").getText().contains("letters"));
        assertTrue(browser.await(".field[data-field='config.image'] .field-error").isDisplayed());
        browser.screenshot("service-editor");

        WebElement name = form.findElement(By.name("name"));
        name.clear();
        name.sendKeys("made-in-the-console");
        form.findElement(By.name("config.image")).sendKeys("alpine:3.20");
        form.findElement(By.name("config.command")).sendKeys("[\"sh\",\"-c\",\"cat\"]");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.until(d -> d.getCurrentUrl().matches(".*#/services/\\d+$") ? Boolean.TRUE : null, Browser.T, "the new service's page");

        JsonObject made = Api.call(server, "GET", "/api/services", admin, null).json().getJsonArray("services").stream()
                .map(v -> (JsonObject) v).filter(s -> s.getString("name").equals("made-in-the-console")).findFirst().orElseThrow();
        assertEquals("DOCKER", made.getString("type"));
        assertEquals("alpine:3.20", made.getJsonObject("config").getString("image"));
        assertEquals(List.of("sh", "-c", "cat"), made.getJsonObject("config").getJsonArray("command").getValuesAs(jakarta.json.JsonString::getString));
        browser.takeErrors(); // the refused first attempt logged its 400
    }

    @Test
    @Order(3)
    void anOperationStartedInTheConsoleIsFollowedToItsEnd() {
        browser.go("#/services");
        WebElement form = browser.await("#operation-form");
        new Select(form.findElement(By.name("kind"))).selectByValue("standalone/validate");
        assertFalse(form.findElement(By.name("repo_url")).isDisplayed(), "only the kind's own fields are shown");
        form.findElement(By.name("service_name")).sendKeys("not a name!");
        form.findElement(By.name("executable")).sendKeys("/bin/true");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        assertTrue(browser.await(".field[data-field='service_name'] .field-error").isDisplayed(), "the server's field error at the field");

        WebElement name = form.findElement(By.name("service_name"));
        name.clear();
        name.sendKeys("validated-in-the-console");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement done = browser.await("#operations-list .operation[data-status='completed']", LONG);
        assertTrue(done.getText().contains("validated-in-the-console"), done.getText());
        assertEquals("100", done.findElement(By.cssSelector("progress")).getAttribute("value"));
        done.findElement(By.cssSelector("button.show-log")).click(); // through a toast: toasts take no clicks
        assertTrue(done.findElement(By.cssSelector("pre.log")).isDisplayed());

        // a failing one shows its code and message, live
        WebElement executable = form.findElement(By.name("executable"));
        executable.clear();
        executable.sendKeys("/bin/false");
        name.clear();
        name.sendKeys("refused-in-the-console");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        WebElement failed = browser.await("#operations-list .operation[data-status='error']", LONG);
        assertTrue(failed.getText().contains("VALIDATION_FAILED"), failed.getText());
        browser.js("document.querySelector('#operations-list').scrollIntoView({block: 'end'})");
        browser.screenshot("operations");

        JsonObject made = Api.call(server, "GET", "/api/services", admin, null).json().getJsonArray("services").stream()
                .map(v -> (JsonObject) v).filter(s -> s.getString("name").equals("validated-in-the-console")).findFirst().orElseThrow();
        assertEquals("STANDALONE", made.getString("type"));
        assertEquals("ACTIVE", made.getString("status"));
        assertEquals("/bin/true", made.getJsonObject("config").getString("executable"));
        // and the service's own page lists its operation
        browser.go("#/services/" + made.getJsonNumber("id").longValue());
        browser.await("#operations-list .operation[data-status='completed']");
        assertTrue(browser.all("#operations-list .operation").stream().noneMatch(e -> e.getText().contains("refused-in-the-console")));
        browser.takeErrors(); // the refused first attempt logged its 400
    }

    @Test
    @Order(4)
    void thePeersPageAppearsOnceThereArePeersAndFollowsTheBlacklistLive() {
        String peer = "12D3KooWConsolePeer" + System.nanoTime();
        String blocked = "12D3KooWConsoleBlocked" + System.nanoTime();
        try {
            Api.Reply made = Api.call(server, "POST", "/api/peers", admin, "{\"id\":\"" + peer + "\",\"addresses\":[\"10.0.0.9:8080\"],"
                    + "\"is_relay\":false,\"can_be_relay\":true,\"connection_quality\":80,\"metadata\":{}}");
            assertEquals(201, made.status(), made.body());
            // the navigation offers the page once node.status reports a known peer
            browser.await("#nav a[href='#/peers']", LONG).click();
            browser.await("#peers-list tr[data-peer='" + peer + "']", LONG);
            assertTrue(browser.await("#peers-list tr[data-peer='" + peer + "']").getText().contains("10.0.0.9:8080"));
            // a blacklist entry made elsewhere appears by itself (blacklist.updated follows the change)
            Api.Reply block = Api.call(server, "POST", "/api/blacklist", admin, "{\"peer_id\":\"" + blocked + "\",\"reason\":\"console test\"}");
            assertEquals(201, block.status(), block.body());
            browser.await("#blacklist-list tr[data-peer='" + blocked + "']", LONG);
            browser.screenshot("peers");
        } finally {
            Api.call(server, "DELETE", "/api/blacklist/" + blocked, admin, null);
            Api.call(server, "DELETE", "/api/peers/" + peer, admin, null);
        }
    }

    @Test
    @Order(5)
    void anExecutionChangesStateOnTheGraph() throws Exception {
        Path dir = Path.of(System.getProperty("it.work", "target/it")).resolve("console-scripts");
        String slow = Workflows.script(dir, "slow.sh", "sleep 4; cat");
        Workflows.standalone(server, admin, "slow-cat", slow);
        long id = Workflows.workflow(server, admin, "{\"name\":\"graph-demo\",\"description\":\"two steps\",\"jobs\":["
                + "{\"name\":\"fetch\",\"service\":\"slow-cat\",\"input\":\"data\"},"
                + "{\"name\":\"transform\",\"service\":\"slow-cat\"},"
                + "{\"name\":\"report\",\"service\":\"slow-cat\",\"input\":\"report\"}],"
                + "\"dependencies\":{\"transform\":[{\"job\":\"fetch\",\"pipe\":true}],\"report\":[\"fetch\"]}}");
        browser.go("#/workflows/" + id);
        browser.await("#execution-graph g.node[data-job='transform']");
        browser.click("#start-execution");
        browser.await("#execution-graph g.node[data-job='fetch'][data-status='running']", LONG);
        browser.screenshot("workflow-running");
        browser.await("#execution-graph g.node[data-job='transform'][data-status='running']", LONG);
        browser.await("#execution-graph g.node[data-job='fetch'][data-status='completed']");
        browser.await("#execution-graph[data-status='completed']", LONG);
        browser.await("#execution-graph g.node[data-job='transform'][data-status='completed']");
        browser.until(d -> browser.await("#job-results").getText().contains("data") ? Boolean.TRUE : null, Browser.T, "the piped output");
        browser.screenshot("workflow");
        assertNoErrorsNorStrangers();
    }

    @Test
    @Order(6)
    void aTwentyMegabyteUploadPausedReloadedAndResumed() throws Exception {
        Api.Reply created = Api.call(server, "POST", "/api/services", admin,
                "{\"name\":\"upload-target\",\"type\":\"DATA\",\"description\":\"uploads\",\"config\":{}}");
        long serviceId = created.json().getJsonNumber("id").longValue();
        Path file = Path.of(System.getProperty("it.work", "target/it")).resolve("console-upload.bin");
        byte[] bytes = new byte[20 * 1024 * 1024];
        new Random(16).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));

        browser.go("#/services/" + serviceId);
        WebElement form = browser.await("#upload-form");
        form.findElement(By.name("file")).sendKeys(file.toAbsolutePath().toString());
        new Select(form.findElement(By.name("chunk"))).selectByValue("65536");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await(".upload[data-state='uploading'] button.pause", LONG).click();
        browser.await(".upload[data-state='paused']", LONG);
        double paused = Double.parseDouble(browser.await(".upload progress").getAttribute("value"));
        assertTrue(paused < 100, "paused at " + paused);
        browser.screenshot("upload-paused");

        // a reload loses the file; the session is kept, and choosing the same file again resumes it
        browser.driver.navigate().refresh();
        browser.await("body[data-live=up]", LONG);
        WebElement again = browser.until(d -> d.findElements(By.cssSelector("#upload-sessions input[type=file]")).stream()
                .findFirst().orElse(null), LONG, "the resume control of the stored session");
        again.sendKeys(file.toAbsolutePath().toString());
        browser.await(".upload[data-state='completed']", Duration.ofMinutes(5));
        String shown = browser.await(".upload .hash").getText();
        assertEquals("sha256:" + expected, shown);

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base + "/api/services/" + serviceId + "/files/console-upload.bin"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertEquals(expected, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(download.body())));
        browser.await("#files tr[data-file='console-upload.bin']");
        assertEquals(0, Api.call(server, "GET", "/api/uploads", admin, null).json().getJsonArray("uploads").size());
        browser.screenshot("service-files");
        assertNoErrorsNorStrangers();
    }

    @Test
    @Order(7)
    void aNotificationReachesAnRtcClient() throws Exception {
        Rtc rtc = new Rtc(server);
        String bob = Rtc.user("bob");
        try (Rtc.Client client = rtc.connect(bob)) {
            browser.go("#/messaging");
            WebElement form = browser.await("#notify-form");
            new Select(form.findElement(By.name("target"))).selectByValue("user");
            form.findElement(By.name("to")).sendKeys(bob);
            new Select(form.findElement(By.name("level"))).selectByValue("warning");
            form.findElement(By.name("title")).sendKeys("Maintenance");
            form.findElement(By.name("message")).sendKeys("Restart at noon");
            form.findElement(By.cssSelector("button[type=submit]")).click();
            JsonObject n = client.next("Notification");
            assertEquals("Restart at noon", n.getJsonObject("data").getString("message"));
            assertEquals("warning", n.getJsonObject("data").getString("level"));
            assertTrue(browser.await("#notify-result").getText().contains("1 connection"));
            browser.await("#presence li[data-user='" + bob + "']", LONG);
        }
        assertNoErrorsNorStrangers();
    }

    @Test
    @Order(8)
    void aUserWithoutRolesSeesReadOnlyViewsAndIsRefused() {
        browser.go("#/users");
        WebElement form = browser.await("#user-form");
        form.findElement(By.name("username")).sendKeys("viewer");
        form.findElement(By.name("password")).sendKeys("short");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        assertTrue(browser.await(".field[data-field='password'] .field-error").getText().contains("8"));
        form.findElement(By.name("password")).sendKeys("-but-long-enough");
        form.findElement(By.cssSelector("button[type=submit]")).click();
        browser.await("#users-list tr[data-user='viewer']");
        browser.takeErrors(); // the refused first attempt logged its 400
        signOut();

        signIn("viewer", "short-but-long-enough");
        assertTrue(browser.all("nav a[href='#/users']").isEmpty(), "no Users page for a viewer");
        browser.go("#/services");
        browser.await("#services-list tr[data-service='seed-data']");
        assertTrue(browser.all("a[href='#/services/new']").isEmpty(), "no New service for a viewer");
        browser.click("#services-list tr[data-service='seed-data'] a");
        WebElement delete = browser.await("#page-services button.danger");
        assertFalse(delete.isEnabled(), "delete is disabled for a viewer");
        assertFalse(browser.await("#upload-form button[type=submit]").isEnabled());
        browser.go("#/workflows");
        browser.click("#workflows-list a");
        assertFalse(browser.await("#start-execution").isEnabled());
        browser.screenshot("read-only");

        String viewer = Api.login(server, "viewer", "short-but-long-enough").json().getString("token");
        assertEquals(403, Api.call(server, "POST", "/api/services", viewer,
                "{\"name\":\"nope\",\"type\":\"DATA\",\"config\":{}}").status());
        assertEquals(403, Api.call(server, "GET", "/api/users", viewer, null).status());
        assertEquals(403, Api.call(server, "GET", "/api/connections", viewer, null).status());
        assertEquals(403, Api.call(server, "POST", "/api/notifications", viewer, "{\"message\":\"x\"}").status());
        assertNoErrorsNorStrangers();
        signOut();
        signIn("admin", AppServer.ADMIN_PASSWORD);
    }

    @Test
    @Order(9)
    void theConsoleReconnectsAfterARestart() {
        browser.go("#/overview");
        browser.await("body[data-live=up]");
        // by now the charts have minutes of figures
        browser.until(d -> browser.all("#charts polyline").size() >= 4 ? Boolean.TRUE : null, LONG, "charts");
        browser.screenshot("overview");
        server.stop();
        browser.await("body[data-live=down]", LONG);
        browser.until(d -> browser.await("#live").getText().contains("reconnecting") ? Boolean.TRUE : null, Browser.T, "the indicator");
        server.start();
        browser.await("body[data-live=up]", Duration.ofMinutes(2));
        // every socket is back: the server sees the console's connections again
        browser.until(d -> Api.call(server, "GET", "/api/connections", admin, null).json().getJsonArray("connections").size() >= 4
                ? Boolean.TRUE : null, LONG, "the console's four connections");
        browser.until(d -> browser.all("#identity dd[data-key='Peer id']").stream()
                .anyMatch(e -> e.getText().startsWith("12D3KooW")) ? Boolean.TRUE : null, LONG, "node.status after the restart");
        // failed reconnection attempts while the server was down are logged by the browser; nothing else may be
        List<String> errors = browser.takeErrors().stream()
                .filter(e -> !e.contains("WebSocket connection to") && !e.contains("Failed to load resource")
                        && !e.contains("net::ERR_CONNECTION_REFUSED"))
                .toList();
        assertEquals(List.of(), errors);
    }
}
