package dev.switchboard.examples.embed;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The smallest useful embedding, on the JDK alone: its HttpServer takes requests, the engine decides, its HttpClient
 * forwards asynchronously, the response head goes to the lease (its Set-Cookie and other edits are applied) and the
 * lease is released with the outcome. No thread waits for a real server or for the engine's queue: a request thread
 * reads the body (the JDK server's streams block), dispatches and returns; the answer is written when the client's
 * future completes. Limits of the JDK server: no signal when a client leaves (a queued future cannot be cancelled
 * early; see {@link UndertowGateway}), and its client sends its own Host (the real server's address) unless the JVM
 * runs with {@code -Djdk.httpclient.allowRestrictedHeaders=host}, so the decision's host goes in X-Forwarded-Host.
 * One virtual service {@code web}: {@code /app} (active-cookie persistence) and {@code /api}, round robin over two
 * real servers; other paths get the engine's 404. Thread-safe; close it once.
 * <pre>{@code MinimalGateway g = MinimalGateway.start(address, "10.0.0.1:80", "10.0.0.2:80"); }</pre>
 */
public final class MinimalGateway implements AutoCloseable {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
            "upgrade", "proxy-connection", "trailer", "proxy-authenticate", "http2-settings");
    private static final Set<String> FRAMING = Set.of("host", "content-length", "expect"); // the JDK writes these

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ExecutorService threads = Executors.newFixedThreadPool(2); // reads bodies, writes answers
    private final DispatchEngine engine;
    private final HttpServer server;

    private MinimalGateway(HttpServer server, String blue, String green) {
        List<RealServer> pool = List.of(RealServer.of("blue", blue), RealServer.of("green", green));
        this.engine = DispatchEngine.create(LoadBalancer.builder().virtualService(VirtualService.builder("web")
                .scheduling(SchedulingMethod.ROUND_ROBIN)
                .subService(SubService.builder("app").matchAny(ContentRule.pathPrefix("/app")).realServers(pool)
                        .persistence(Persistence.of(PersistenceMode.ACTIVE_COOKIE)).build())
                .subService(SubService.builder("api").matchAny(ContentRule.pathPrefix("/api")).realServers(pool)
                        .build()).build()).build());
        this.server = server;
        server.setExecutor(threads);
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
        byte[] body = ex.getRequestBody().readAllBytes();
        URI target = ex.getRequestURI(); // absolute form (http://host/p) carries the authority that wins over Host
        decide(ex, body, engine.dispatch("web", HttpRequest.builder().method(ex.getRequestMethod()).scheme("http")
                .authority(Objects.requireNonNullElse(target.getRawAuthority(),
                        Objects.requireNonNullElse(ex.getRequestHeaders().getFirst("Host"), "")))
                .target(Objects.requireNonNullElse(target.getRawPath(), "/")
                        + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery()))
                .headers(name -> ex.getRequestHeaders().getFirst(name)) // any case: the JDK folds names itself
                .source(ex.getRemoteAddress().getAddress()).build()));
    }

    private void decide(HttpExchange ex, byte[] body, Decision d) {
        if (d instanceof Decision.Queued q) { // completes on the thread that freed a slot, or the engine's timer
            q.future().thenAcceptAsync(next -> decide(ex, body, next), threads);
        } else if (d instanceof Decision.Forward f) {
            forward(ex, body, f);
        } else if (d instanceof Decision.Redirect r) { // from a redirector virtual service
            ex.getResponseHeaders().set("Location", r.location());
            reply(ex, r.status(), new byte[0]);
        } else if (d instanceof Decision.Respond r) { // 400, 403, 404; 503 with Retry-After: nothing eligible
            apply(ex.getResponseHeaders(), r.headers());
            reply(ex, r.status(), (r.status() + " " + r.reason() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private void forward(HttpExchange ex, byte[] body, Decision.Forward f) {
        long start = System.nanoTime();
        Headers headers = new Headers();
        headers.putAll(ex.getRequestHeaders());
        Set<String> named = new HashSet<>(); // and the headers that Connection names
        for (String line : Objects.requireNonNullElse(headers.get("Connection"), List.<String>of())) {
            Arrays.stream(line.split(",")).map(t -> t.trim().toLowerCase(Locale.ROOT)).forEach(named::add);
        }
        headers.keySet().removeIf(n -> HOP_BY_HOP.contains(n.toLowerCase(Locale.ROOT))
                || named.contains(n.toLowerCase(Locale.ROOT)));
        headers.set("X-Forwarded-For", ex.getRemoteAddress().getAddress().getHostAddress());
        headers.set("X-Forwarded-Host", f.host());
        apply(headers, f.requestEdits());
        java.net.http.HttpRequest.Builder request;
        try {
            request = java.net.http.HttpRequest.newBuilder(URI.create("http://" + f.target().address() + f.path()
                    + (f.query().isEmpty() ? "" : "?" + f.query()))).timeout(Duration.ofSeconds(30))
                    .method(ex.getRequestMethod(), body.length == 0 ? java.net.http.HttpRequest.BodyPublishers
                            .noBody() : java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach((name, values) -> values.forEach(v -> {
                if (!FRAMING.contains(name.toLowerCase(Locale.ROOT))) {
                    request.header(name, v);
                }
            }));
        } catch (IllegalArgumentException e) { // a header value or path the JDK client refuses to send
            f.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, System.nanoTime() - start));
            reply(ex, 400, "400 cannot forward this request\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
                .whenCompleteAsync((response, error) -> answer(ex, f, start, body.length, response, error), threads);
    }

    private void answer(HttpExchange ex, Decision.Forward f, long start, long in, HttpResponse<byte[]> response,
            Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            f.release(new Outcome(0, cause instanceof ConnectException ? Outcome.Failure.CONNECT
                    : cause instanceof HttpTimeoutException ? Outcome.Failure.TIMEOUT : Outcome.Failure.RESET,
                    System.nanoTime() - start, in, 0));
            reply(ex, 502, "502 the real server did not answer\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        response.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) && !lower.equals("content-length") && !lower.startsWith(":")) {
                ex.getResponseHeaders().put(name, values);
            }
        });
        apply(ex.getResponseHeaders(), f.onResponse(new Head(response))); // before the head: e.g. Set-Cookie
        boolean sent = reply(ex, response.statusCode(), response.body());
        f.release(new Outcome(response.statusCode(), sent ? Outcome.Failure.NONE : Outcome.Failure.CANCELLED,
                System.nanoTime() - start, in, response.body().length));
    }

    /** The response head as the lease reads it. */
    private record Head(HttpResponse<byte[]> r) implements ResponseView {
        @Override public int status() { return r.statusCode(); }
        @Override public String header(String name) { return r.headers().firstValue(name).orElse(null); }
        @Override public List<String> headers(String name) { return r.headers().allValues(name); }
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

    /** Writes the answer; false when the client has gone. */
    private static boolean reply(HttpExchange ex, int status, byte[] bytes) {
        try (ex) {
            ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
            ex.getResponseBody().write(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        engine.close();
    }

    /** Starts two tiny real servers and the gateway on loopback, and prints the URL to try. */
    public static void main(String[] args) throws IOException {
        String url = start(new InetSocketAddress("127.0.0.1", 0), TinyBackend.run("blue"), TinyBackend.run("green"))
                .url();
        System.out.println("try " + url + "/api/hello and " + url + "/app/ (Ctrl-C stops)");
    }
}
