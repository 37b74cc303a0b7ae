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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real HTTP servers (the JDK's) on 127.0.0.1, each answering any request with its name (body and
 * {@code X-Served-By}); a request without an {@code SID} cookie gets one, {@code SID=s<n>}, numbered across all
 * servers so that its value says nothing of the server that made it (server-cookie persistence must learn it).
 * A request for {@code /hold} is held (one of the servers' own threads waits) until {@link #releaseHeld()}.
 */
final class NamedHttpServers implements AutoCloseable {

    private final Map<String, HttpServer> servers = new LinkedHashMap<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private final BlockingQueue<String> held = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
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
            if (exchange.getRequestURI().getPath().equals("/hold")) {
                held.add(name);
                awaitRelease();
            }
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

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The name of the server that got the next {@code /hold} request, waiting up to 10 s; null if none came. */
    String awaitHeld() throws InterruptedException {
        return held.poll(10, TimeUnit.SECONDS);
    }

    /** Lets every held request, and every later one, be answered. */
    void releaseHeld() {
        release.countDown();
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
        release.countDown();
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
