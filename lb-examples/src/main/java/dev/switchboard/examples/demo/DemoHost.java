package dev.switchboard.examples.demo;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.Address;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One embedded "Exchange server" of the {@link DemoFleet}: a JDK HttpServer answering every workload, with a
 * health page per workload that an operator can take down. Thread-safe.
 */
final class DemoHost implements AutoCloseable {

    /** The cookie the host sets on {@code /owa} when the request has none (for server-cookie persistence). */
    static final String OWA_COOKIE = "X-OWA-Session";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Boolean> up = new ConcurrentHashMap<>();
    private final AtomicLong sessions = new AtomicLong();

    private DemoHost(String name, HttpServer server) {
        this.name = name;
        this.server = server;
        this.threads = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "demo-" + name);
            t.setDaemon(true);
            return t;
        });
        DemoFleet.WORKLOADS.forEach(w -> up.put(w, true));
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts a host on 127.0.0.1:{@code port} (0 for a free one). */
    static DemoHost start(String name, int port) throws IOException {
        return new DemoHost(name, HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128));
    }

    String name() {
        return name;
    }

    Address address() {
        return Address.of("127.0.0.1", server.getAddress().getPort());
    }

    void setUp(String workload, boolean isUp) {
        up.put(workload, isUp);
    }

    boolean isUp(String workload) {
        return up.get(workload);
    }

    /** The workload a path belongs to (its first segment, ignoring case), if any. */
    static Optional<String> findWorkload(String path) {
        int end = path.indexOf('/', 1);
        String first = path.substring(1, end < 0 ? path.length() : end);
        return DemoFleet.WORKLOADS.stream().filter(w -> w.equalsIgnoreCase(first)).findFirst();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String expect = ex.getRequestHeaders().getFirst("Expect");
            if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
                reply(ex, 417, "text/plain", "417 Expectation Failed\n"); // what IIS answers to other expectations
                return;
            }
            long bodyBytes = drain(ex.getRequestBody()); // the JDK server has sent 100 Continue if it was asked for
            String path = ex.getRequestURI().getRawPath();
            Optional<String> workload = findWorkload(path);
            if (workload.isEmpty()) {
                reply(ex, 404, "text/plain", "404 " + name + " has no workload at " + path + "\n");
                return;
            }
            String w = workload.get();
            if (path.toLowerCase(Locale.ROOT).equals("/" + w.toLowerCase(Locale.ROOT) + "/healthcheck.htm")) {
                boolean isUp = isUp(w);
                reply(ex, isUp ? 200 : 503, "text/plain", (isUp ? "200 OK " : "503 down ") + name + " " + w + "\n");
                return;
            }
            if (w.equals("owa") && !hasCookie(ex, OWA_COOKIE)) {
                ex.getResponseHeaders().add("Set-Cookie", OWA_COOKIE + "=" + name + "-" + sessions.incrementAndGet()
                        + "; Path=/owa; HttpOnly");
            }
            reply(ex, 200, "application/json", body(ex, w, bodyBytes));
        }
    }

    private String body(HttpExchange ex, String workload, long bodyBytes) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("host", name);
        body.put("workload", workload);
        body.put("method", ex.getRequestMethod());
        body.put("path", ex.getRequestURI().getRawPath());
        String query = ex.getRequestURI().getRawQuery();
        body.put("query", query == null ? "" : query);
        String forwardedFor = ex.getRequestHeaders().getFirst("X-Forwarded-For");
        body.put("xForwardedFor", forwardedFor == null ? "" : forwardedFor);
        body.put("bodyBytes", bodyBytes);
        return JSON.writeValueAsString(body) + "\n";
    }

    private static boolean hasCookie(HttpExchange ex, String cookie) {
        return ex.getRequestHeaders().getOrDefault("Cookie", List.of()).stream()
                .anyMatch(h -> (";" + h.replace(" ", "")).contains(";" + cookie + "="));
    }

    private static long drain(InputStream in) throws IOException {
        long n = 0;
        byte[] buf = new byte[8192];
        for (int r = in.read(buf); r >= 0; r = in.read(buf)) {
            n += r;
        }
        return n;
    }

    private static void reply(HttpExchange ex, int status, String type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        ex.getResponseHeaders().set("Server", "Microsoft-IIS/10.0 (switchboard demo)");
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            ex.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
