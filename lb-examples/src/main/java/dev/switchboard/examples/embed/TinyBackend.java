package dev.switchboard.examples.embed;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** A real server for {@link MinimalGateway}'s demo: answers every request with its name and the path it got. */
final class TinyBackend {

    private TinyBackend() {
    }

    /** Starts one on 127.0.0.1 and a free port. */
    static HttpServer start(String name) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", ex -> {
            byte[] body = (name + " " + ex.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
            ex.getResponseHeaders().set("X-Real-Server", name);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    /** Starts one and returns its {@code host:port}. */
    static String run(String name) throws IOException {
        return address(start(name));
    }

    /** Its {@code host:port}. */
    static String address(HttpServer server) {
        return server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }
}
