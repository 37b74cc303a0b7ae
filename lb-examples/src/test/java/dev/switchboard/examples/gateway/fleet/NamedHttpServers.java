package dev.switchboard.examples.gateway.fleet;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTP servers (the JDK's) on 127.0.0.1, each answering any request with its name (body and
 * {@code X-Served-By}); a request without an {@code SID} cookie gets one, {@code SID=s<n>}, numbered across all
 * servers so that its value says nothing of the server that made it (server-cookie persistence must learn it).
 */
final class NamedHttpServers implements AutoCloseable {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    NamedHttpServers(String... names) throws IOException {
        for (String name : names) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/", exchange -> handle(name, exchange));
            server.setExecutor(executor);
            server.start();
            servers.put(name, server);
        }
    }

    private void handle(String name, HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            body.readAllBytes();
            String cookie = exchange.getRequestHeaders().getFirst("Cookie");
            if (cookie == null || !cookie.contains("SID=")) {
                exchange.getResponseHeaders().add("Set-Cookie", "SID=s" + sessions.incrementAndGet() + "; Path=/");
            }
            exchange.getResponseHeaders().add("X-Served-By", name);
            byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    List<String> names() {
        return List.copyOf(servers.keySet());
    }

    /** {@code 127.0.0.1:port} of {@code name}. */
    String address(String name) {
        return "127.0.0.1:" + servers.get(name).getAddress().getPort();
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
