package dev.switchboard.examples.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTP servers on loopback standing in for application hosts: each answers any path with
 * {@code host=<name> path=<path> xff=<X-Forwarded-For>} and an {@code X-Served-By} header, serves
 * {@code /<workload>/healthcheck.htm} (200, or 503 once that workload is taken down on that host), and sets its own
 * {@code JSESSIONID} cookie when asked with {@code ?login}.
 */
final class TestFleet implements AutoCloseable {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final Set<String> down = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    private final ExecutorService executor = Executors.newFixedThreadPool(8);

    TestFleet(String... hosts) {
        for (String host : hosts) {
            servers.put(host, start(host));
        }
    }

    private HttpServer start(String host) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", exchange -> handle(host, exchange));
            server.setExecutor(executor);
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handle(String host, HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.transferTo(OutputStreamSink.INSTANCE);
            String path = exchange.getRequestURI().getRawPath();
            if (path.endsWith("/healthcheck.htm")) {
                String workload = path.substring(1, path.indexOf('/', 1));
                boolean up = !down.contains(host + "/" + workload.toLowerCase());
                send(exchange, up ? 200 : 503, up ? "ok" : "maintenance");
                return;
            }
            hits.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
            String query = exchange.getRequestURI().getRawQuery();
            if ("login".equals(query)) {
                exchange.getResponseHeaders().add("Set-Cookie", "JSESSIONID=" + host + "-session; Path=/");
            }
            exchange.getResponseHeaders().add("X-Served-By", host);
            String xff = exchange.getRequestHeaders().getFirst("X-Forwarded-For");
            send(exchange, 200, "host=" + host + " path=" + path + " xff=" + xff);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    /** {@code "127.0.0.1:port"} of {@code host}. */
    String address(String host) {
        return "127.0.0.1:" + servers.get(host).getAddress().getPort();
    }

    List<String> hosts() {
        return List.copyOf(servers.keySet());
    }

    /** Takes {@code workload} down (its health check answers 503) or back up on {@code host}. */
    void setWorkloadUp(String host, String workload, boolean up) {
        if (up) {
            down.remove(host + "/" + workload);
        } else {
            down.add(host + "/" + workload);
        }
    }

    int hits(String host) {
        AtomicInteger count = hits.get(host);
        return count == null ? 0 : count.get();
    }

    /** Stops {@code host} at once: its port refuses connections from now on. */
    void kill(String host) {
        servers.get(host).stop(0);
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }

    /** Discards what it is given. */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
