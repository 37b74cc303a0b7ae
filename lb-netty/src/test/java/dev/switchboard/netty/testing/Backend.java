package dev.switchboard.netty.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import java.util.function.Function;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;

/** A real server on 127.0.0.1: a MockWebServer that answers every request the same way, and records it. */
public final class Backend implements AutoCloseable {

    public final String name;
    public final MockWebServer server = new MockWebServer();

    private Backend(String name, Function<RecordedRequest, MockResponse> answer) {
        this(name, answer, Optional.empty(), List.of());
    }

    private Backend(String name, Function<RecordedRequest, MockResponse> answer, Optional<SSLSocketFactory> tls,
            List<Protocol> protocols) {
        tls.ifPresent(server::useHttps);
        if (!protocols.isEmpty()) {
            server.setProtocols(protocols);
        }
        this.name = name;
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
        try {
            server.start(InetAddress.getLoopbackAddress(), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Answers 200 with {@code "<name> <target>"} and {@code X-Backend: <name>}. */
    public static Backend echo(String name) {
        return new Backend(name, r -> r.getMethod().equals("HEAD")
                ? new MockResponse.Builder().code(200).addHeader("X-Backend", name).body("")
                        .setHeader("Content-Length", "42").build()
                : new MockResponse.Builder().code(200).addHeader("X-Backend", name)
                        .body(name + " " + r.getTarget()).build());
    }

    /** {@link #echo}, over TLS with the certificate behind {@code tls}. */
    public static Backend echoHttps(String name, SSLSocketFactory tls) {
        return new Backend(name, r -> new MockResponse.Builder().code(200).addHeader("X-Backend", name)
                .body(name + " " + r.getTarget()).build(), Optional.of(tls), List.of());
    }

    /**
     * Answers 200 with {@code "<name> <target> <version>"} ({@code HTTP/2} or {@code HTTP/1.1}) in the protocols
     * given: {@code [H2_PRIOR_KNOWLEDGE]} for h2c, {@code [HTTP_2, HTTP_1_1]} with {@code tls} for ALPN.
     */
    public static Backend echoIn(String name, List<Protocol> protocols, Optional<SSLSocketFactory> tls) {
        return new Backend(name, r -> new MockResponse.Builder().code(200).addHeader("X-Backend", name)
                .body(name + " " + r.getTarget() + " " + r.getVersion()).build(), tls, protocols);
    }

    public static Backend answering(String name, Function<RecordedRequest, MockResponse> answer) {
        return new Backend(name, answer);
    }

    public String address() {
        return "127.0.0.1:" + server.getPort();
    }

    public RecordedRequest take() {
        try {
            RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
            if (r == null) {
                throw new AssertionError(name + " received no request within 5 s");
            }
            return r;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
