package dev.switchboard.examples.embed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A real server on 127.0.0.1 that takes each request and holds its answer until {@link #release()}: for tests of
 * what a gateway does while a request is with a real server (queueing behind it, the client leaving). Each request
 * holds one of the server's own threads, never one of the gateway's.
 */
final class HeldBackend implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private final Semaphore arrived = new Semaphore(0);

    HeldBackend(String name) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(threads);
        server.createContext("/", ex -> {
            arrived.release();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = (name + " " + ex.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("X-Real-Server", name);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    /** Its {@code host:port}. */
    String address() {
        return TinyBackend.address(server);
    }

    /** Waits up to 10 s for one more request to arrive; false when none did. */
    boolean awaitArrival() throws InterruptedException {
        return arrived.tryAcquire(10, TimeUnit.SECONDS);
    }

    /** Requests that arrived and were not awaited yet. */
    int unawaitedArrivals() {
        return arrived.availablePermits();
    }

    /** Lets every held request, and every later one, be answered. */
    void release() {
        release.countDown();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }
}
