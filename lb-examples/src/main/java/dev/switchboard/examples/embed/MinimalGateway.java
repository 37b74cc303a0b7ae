package dev.switchboard.examples.embed;

import com.sun.net.httpserver.*;
import dev.switchboard.api.*;
import dev.switchboard.engine.DispatchEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.*;
import java.util.concurrent.*;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The smallest useful embedding, without Netty: the JDK's HttpServer takes requests, the engine decides, OkHttp
 * forwards, the response head goes back to the lease (its Set-Cookie and other edits are applied) and the lease is
 * released with the outcome. One virtual service {@code web}: {@code /app} (active-cookie persistence) and
 * {@code /api}, round robin over two real servers; other paths get the engine's 404. Thread-safe; close it once.
 * <pre>{@code MinimalGateway g = MinimalGateway.start(address, "10.0.0.1:80", "10.0.0.2:80"); }</pre>
 */
public final class MinimalGateway implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "upgrade", "proxy-connection", "content-length", "host", "trailer");

    private final OkHttpClient client = new OkHttpClient.Builder().followRedirects(false).build();
    private final DispatchEngine engine;
    private final HttpServer server;

    private MinimalGateway(HttpServer server, String blue, String green) {
        List<RealServer> pool = List.of(RealServer.of("blue", blue), RealServer.of("green", green));
        this.engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .listen("127.0.0.1:" + server.getAddress().getPort()).scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(SubService.builder("app").matchAny(ContentRule.pathPrefix("/app")).realServers(pool)
                        .persistence(Persistence.of(PersistenceMode.ACTIVE_COOKIE)).build())
                .subService(SubService.builder("api").matchAny(ContentRule.pathPrefix("/api")).realServers(pool)
                        .build()).build()).build());
        this.server = server;
        server.setExecutor(Executors.newFixedThreadPool(8)); // a request thread waits for OkHttp's execute()
        server.createContext("/", this::handle);
        server.start();
    }

    /** Binds {@code listen} (port 0 picks one) and balances over the real servers {@code blue} and {@code green}. */
    public static MinimalGateway start(InetSocketAddress listen, String blue, String green) throws IOException {
        return new MinimalGateway(HttpServer.create(listen, 64), blue, green);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    /** The engine, for stats. */
    public DispatchEngine engine() {
        return engine;
    }

    private void handle(HttpExchange ex) throws IOException {
        String query = ex.getRequestURI().getRawQuery();
        Decision d = engine.dispatch("web", HttpRequest.builder().method(ex.getRequestMethod()).scheme("http")
                .authority(Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("Host"), ""))
                .target(ex.getRequestURI().getRawPath() + (query == null ? "" : "?" + query))
                .headers(name -> ex.getRequestHeaders().getFirst(name))
                .source(ex.getRemoteAddress().getAddress()).build());
        if (d instanceof Decision.Queued q) {
            d = q.future().join(); // only with connection limits; this request thread waits, the engine never blocks
        }
        if (d instanceof Decision.Forward f) {
            forward(ex, f);
        } else if (d instanceof Decision.Respond r) { // 404: no sub-service matches; 503: nothing eligible
            apply(ex.getResponseHeaders(), r.headers());
            reply(ex, r.status(), (r.status() + " " + r.reason() + "\n").getBytes(StandardCharsets.UTF_8));
        } // a Redirect comes only from a redirector virtual service, which this model has not
    }

    private void forward(HttpExchange ex, Decision.Forward f) throws IOException {
        long start = System.nanoTime();
        byte[] body = ex.getRequestBody().readAllBytes();
        Headers headers = new Headers();
        headers.putAll(ex.getRequestHeaders());
        headers.keySet().removeIf(name -> HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)));
        headers.add("X-Forwarded-For", ex.getRemoteAddress().getAddress().getHostAddress());
        apply(headers, f.requestEdits());
        int status = 0;
        byte[] answer = new byte[0];
        Outcome.Failure failure = Outcome.Failure.NONE;
        try {
            Request.Builder request = new Request.Builder().url("http://" + f.target().address() + f.path()
                    + (f.query().isEmpty() ? "" : "?" + f.query())).header("Host", f.host())
                    .method(ex.getRequestMethod(), body.length > 0 ? RequestBody.create(body) : null);
            headers.forEach((name, values) -> values.forEach(v -> request.addHeader(name, v)));
            try (Response response = client.newCall(request.build()).execute()) {
                answer = response.body().bytes();
                status = response.code();
                response.headers().names().stream().filter(n -> !HOP_BY_HOP.contains(n.toLowerCase(Locale.ROOT)))
                        .forEach(n -> ex.getResponseHeaders().put(n, response.headers(n)));
                apply(ex.getResponseHeaders(), f.onResponse(new Head(response))); // e.g. Set-Cookie: SBSRV=...
            }
        } catch (IOException | IllegalArgumentException e) { // no answer, or a header OkHttp refuses to send
            failure = e instanceof IOException ? Outcome.Failure.CONNECT : Outcome.Failure.CANCELLED;
        } finally {
            f.release(new Outcome(status, failure, System.nanoTime() - start, body.length, answer.length));
        }
        int code = status > 0 ? status : failure == Outcome.Failure.CANCELLED ? 400 : 502;
        reply(ex, code, status > 0 ? answer : (code + " not forwarded\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The response head as the lease reads it. */
    private record Head(Response r) implements ResponseView {
        @Override public int status() { return r.code(); }
        @Override public String header(String name) { return r.header(name); }
        @Override public List<String> headers(String name) { return r.headers(name); }
    }

    private static void apply(Headers headers, List<HeaderEdit> edits) {
        for (HeaderEdit e : edits) {
            switch (e.op()) {
                case SET -> headers.set(e.name(), e.value());
                case ADD -> headers.add(e.name(), e.value());
                case REMOVE -> headers.remove(e.name());
            }
        }
    }

    private static void reply(HttpExchange ex, int status, byte[] bytes) throws IOException {
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
        client.connectionPool().evictAll();
        engine.close();
    }

    /** Starts two tiny real servers and the gateway on loopback, and prints the URL to try. */
    public static void main(String[] args) throws IOException {
        String url = start(new InetSocketAddress("127.0.0.1", 0), TinyBackend.run("blue"), TinyBackend.run("green"))
                .url();
        System.out.println("try " + url + "/api/hello and " + url + "/app/ (Ctrl-C stops)");
    }
}
