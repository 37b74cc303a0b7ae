package dev.switchboard.examples.gateway.admin;

import dev.switchboard.examples.testing.LoopbackPorts;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A headless Chromium driven through chromedriver over the W3C WebDriver protocol (JSON over HTTP), with
 * java.net.http and Jackson only. {@link #close()} ends the session and kills chromedriver and everything it
 * started.
 */
public final class WebDriver implements AutoCloseable {

    static final String ELEMENT = "element-6066-11e4-a52e-4f735466cecf";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");
    private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/lib/chromium/chromium",
            "/usr/bin/chromium-browser", "/usr/bin/google-chrome");

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Process driver;
    private final String base;
    private String session = "";

    private WebDriver(Process driver, int port) {
        this.driver = driver;
        this.base = "http://127.0.0.1:" + port;
    }

    /** The chromedriver and browser executables, when both are installed. */
    public static Optional<List<String>> findInstalled() {
        Optional<String> d = DRIVERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
        Optional<String> b = BROWSERS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst();
        return d.isPresent() && b.isPresent() ? Optional.of(List.of(d.get(), b.get())) : Optional.empty();
    }

    /** Starts chromedriver on a free port and opens a headless session; kills everything if that fails. */
    public static WebDriver start(String driverPath, String browserPath) throws IOException {
        int port = LoopbackPorts.pick();
        Process p = new ProcessBuilder(driverPath, "--port=" + port, "--allowed-ips=127.0.0.1")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        WebDriver wd = new WebDriver(p, port);
        try {
            wd.awaitReady(Duration.ofSeconds(10));
            wd.newSession(browserPath);
            return wd;
        } catch (RuntimeException | IOException e) {
            wd.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (call("GET", "/status", null).path("value").path("ready").asBoolean()) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!driver.isAlive()) {
                throw new IOException("chromedriver exited with " + driver.exitValue());
            }
            pause(100);
        }
        throw new IOException("chromedriver not ready within " + timeout);
    }

    private void newSession(String browserPath) throws IOException {
        ObjectNode caps = JSON.createObjectNode();
        ObjectNode always = caps.putObject("capabilities").putObject("alwaysMatch");
        ObjectNode chrome = always.putObject("goog:chromeOptions");
        chrome.put("binary", browserPath);
        chrome.putArray("args").add("--headless=new").add("--no-sandbox").add("--disable-gpu")
                .add("--disable-dev-shm-usage").add("--no-first-run").add("--disable-extensions");
        JsonNode r = call("POST", "/session", caps);
        session = r.path("value").path("sessionId").asText("");
        if (session.isEmpty()) {
            throw new IOException("no session: " + r);
        }
    }

    public void open(String url) throws IOException {
        command("POST", "/url", JSON.createObjectNode().put("url", url));
    }

    /** Runs {@code script} (a function body; {@code arguments} holds {@code args}) and returns its value. */
    public JsonNode script(String script, Object... args) throws IOException {
        ObjectNode body = JSON.createObjectNode().put("script", script);
        body.set("args", JSON.valueToTree(args));
        return command("POST", "/execute/sync", body);
    }

    /** The element id of the first match of {@code css}. */
    public String find(String css) throws IOException {
        JsonNode v = command("POST", "/element",
                JSON.createObjectNode().put("using", "css selector").put("value", css));
        String id = v.path(ELEMENT).asText("");
        if (id.isEmpty()) {
            throw new IOException("find " + css + ": no element id in " + v);
        }
        return id;
    }

    public void click(String elementId) throws IOException {
        command("POST", "/element/" + elementId + "/click", JSON.createObjectNode());
    }

    /**
     * Finds the first match of {@code css} and clicks it. The page redraws its tables on every refresh, so an
     * element found just before a redraw is stale by the click: it is found again (at most 5 tries).
     */
    public void click(By css) throws IOException {
        for (int attempt = 1; ; attempt++) {
            try {
                click(find(css.value()));
                return;
            } catch (IOException e) {
                if (attempt == 5 || !String.valueOf(e.getMessage()).contains("stale element")) {
                    throw e;
                }
            }
        }
    }

    /** A CSS selector. */
    public record By(String value) {
    }

    /** Whether a JavaScript dialog (alert, confirm) is open. */
    public boolean alertOpen() throws IOException {
        JsonNode r = call("GET", "/session/" + session + "/alert/text", null);
        return !r.path("value").path("error").asText().equals("no such alert");
    }

    /** Polls {@code script} until {@code done} accepts its value or {@code timeout} passes; returns the last value. */
    public JsonNode poll(String script, Predicate<JsonNode> done, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode v = script(script);
        while (!done.test(v) && System.nanoTime() < deadline) {
            pause(100);
            v = script(script);
        }
        return v;
    }

    /** Resizes the browser window (the viewport a screenshot shows). */
    public void windowSize(int width, int height) throws IOException {
        command("POST", "/window/rect", JSON.createObjectNode().put("width", width).put("height", height));
    }

    /** A PNG of the viewport as it is now. */
    public byte[] screenshot() throws IOException {
        return java.util.Base64.getDecoder().decode(command("GET", "/screenshot", null).asText());
    }

    private JsonNode command(String method, String path, JsonNode body) throws IOException {
        JsonNode r = call(method, "/session/" + session + path, body);
        JsonNode value = r.path("value");
        if (value.isObject() && value.has("error")) {
            throw new IOException(path + ": " + value.path("error").asText() + ": " + value.path("message").asText());
        }
        return value;
    }

    private JsonNode call(String method, String path, JsonNode body) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(15));
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json; charset=utf-8")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        try {
            return JSON.readTree(http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis); // polling chromedriver with a deadline, not waiting for our own code
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            if (!session.isEmpty()) {
                call("DELETE", "/session/" + session, null);
            }
        } catch (IOException | RuntimeException e) {
            // killed below anyway
        } finally {
            List<ProcessHandle> tree = driver.descendants().toList();
            tree.forEach(ProcessHandle::destroyForcibly);
            driver.destroyForcibly();
            try {
                driver.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            tree.forEach(h -> h.onExit().completeOnTimeout(h, 5, java.util.concurrent.TimeUnit.SECONDS).join());
        }
    }
}
