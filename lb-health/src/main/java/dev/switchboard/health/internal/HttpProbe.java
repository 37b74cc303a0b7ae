package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.tls.TlsContexts;
import dev.switchboard.tls.UpstreamTls;
import dev.switchboard.tls.UpstreamTlsConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Credentials;
import okhttp3.Dispatcher;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * HTTPS probes on OkHttp with {@code enqueue} (plain HTTP runs on the {@link TcpProbe} loop, see {@link HttpExchange};
 * this class also takes HTTP checks when called with one): the call timeout is the check's timeout, so a hanging server
 * costs that timeout and nothing longer. Every probe opens a fresh connection (no pooling), so a server that stopped
 * accepting is noticed; probes speak HTTP/1.1 (also over TLS); redirects are not followed (a 3xx is a status to judge).
 * Up to 64 KiB of the body are read for the body pattern. HTTPS checks run on a TLS context from lb-tls ({@link
 * TlsContexts#upstream}), one per distinct trust, made on first use; the SNI and verified name is the Host header's
 * host when set, resolved to the target's address by a per-call {@link Dns}. A probe of a server whose traffic carries
 * a PROXY protocol header runs on a client whose sockets write the header as soon as they connect ({@link
 * ProxyHeaderSocketFactory}), so it precedes the request, and for HTTPS the TLS handshake. Thread-safe.
 */
public final class HttpProbe implements Probe {

    static final long MAX_BODY_BYTES = 64 * 1024;
    static final long MAX_AGENT_BYTES = 512;

    private record TrustKey(HealthCheck.Trust trust, String caFile, ProxyProtocol proxyProtocol, boolean h2) {
    }

    private final OkHttpClient client;
    /** Plain clients whose sockets open with a PROXY protocol header, one per version (they share the dispatcher). */
    private final Map<ProxyProtocol, OkHttpClient> headerClients = new EnumMap<>(ProxyProtocol.class);
    /** The plain clients of gRPC checks: HTTP/2 with prior knowledge, one per PROXY protocol version. */
    private final Map<ProxyProtocol, OkHttpClient> h2cClients = new EnumMap<>(ProxyProtocol.class);
    private final Map<TrustKey, OkHttpClient> tlsClients = new ConcurrentHashMap<>();

    public HttpProbe() {
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(1024);
        dispatcher.setMaxRequestsPerHost(256);
        this.client = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectionPool(new ConnectionPool(0, 1, TimeUnit.SECONDS))
                .protocols(List.of(Protocol.HTTP_1_1))
                .retryOnConnectionFailure(false)
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        headerClients.put(ProxyProtocol.NONE, client);
        for (ProxyProtocol v : List.of(ProxyProtocol.V1, ProxyProtocol.V2)) {
            headerClients.put(v, client.newBuilder().socketFactory(new ProxyHeaderSocketFactory(v)).build());
        }
        for (Map.Entry<ProxyProtocol, OkHttpClient> e : headerClients.entrySet()) {
            h2cClients.put(e.getKey(), e.getValue().newBuilder().protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE))
                    .build());
        }
    }

    /**
     * Probes over a new connection that opens with a PROXY protocol header of {@code proxyProtocol} (none for
     * {@link ProxyProtocol#NONE}), written on the plain socket before TLS for HTTPS
     * ({@link ProxyHeaderSocketFactory}).
     */
    @Override
    public void probe(Address address, HealthCheck check, ProxyProtocol proxyProtocol,
            Consumer<ProbeOutcome> callback) {
        call(address, check, proxyProtocol, () -> request(address, check),
                (response, start) -> judge(check, response, start), callback);
    }

    /** Judges a response to a probe that started at {@code startNanos} ({@link System#nanoTime()}). */
    @FunctionalInterface
    interface Judge {
        ProbeOutcome judge(Response response, long startNanos) throws IOException;
    }

    /**
     * Sends the request that {@code request} makes on {@link #clientFor the client for} {@code check}, within the
     * check's timeout, and calls back exactly once: with {@code judge}'s outcome, or a failure naming what went wrong
     * (the trust's CA file, a request that cannot be made, an I/O error or timeout, a response that cannot be read).
     */
    void call(Address address, HealthCheck check, ProxyProtocol proxyProtocol, Supplier<Request> request, Judge judge,
            Consumer<ProbeOutcome> callback) {
        long start = System.nanoTime();
        OkHttpClient http;
        try {
            http = clientFor(address, check, proxyProtocol);
        } catch (RuntimeException e) { // the CA file of the check's trust cannot be read (any more)
            callback.accept(ProbeOutcome.failed("tls trust: " + e.getMessage(), 0));
            return;
        }
        Call call;
        try {
            call = http.newCall(request.get());
        } catch (RuntimeException e) {
            callback.accept(ProbeOutcome.failed("bad request: " + e.getMessage(), 0));
            return;
        }
        call.timeout().timeout(check.timeout().toNanos(), TimeUnit.NANOSECONDS);
        call.enqueue(new Callback() {
            @Override
            public void onFailure(Call c, IOException e) {
                callback.accept(ProbeOutcome.failed(reason(e), System.nanoTime() - start));
            }

            @Override
            public void onResponse(Call c, Response response) {
                ProbeOutcome result;
                try (response) {
                    result = judge.judge(response, start);
                } catch (IOException e) {
                    result = ProbeOutcome.failed(reason(e), System.nanoTime() - start);
                } catch (RuntimeException e) {
                    result = ProbeOutcome.failed("bad response: " + e, System.nanoTime() - start);
                }
                callback.accept(result);
            }
        });
    }

    private static ProbeOutcome judge(HealthCheck check, Response response, long start) throws IOException {
        int status = response.code();
        String body = "";
        if (check.expectsStatus(status) && check.type() == HealthCheck.Type.HTTP_AGENT) {
            body = read(response, MAX_AGENT_BYTES);
        } else if (check.expectsStatus(status) && !check.bodyPattern().isEmpty()) {
            body = read(response, MAX_BODY_BYTES);
        }
        return judge(check, status, body, System.nanoTime() - start);
    }

    private static String read(Response response, long max) throws IOException {
        BufferedSource source = response.body().source();
        source.request(max);
        long n = Math.min(source.getBuffer().size(), max);
        return source.getBuffer().readString(n, StandardCharsets.UTF_8);
    }

    /**
     * Judges an answer, the same for HTTPS (here) and plain HTTP ({@link HttpExchange}): the status, then the agent's
     * answer or the body pattern; {@code body} is what was read of it (empty when the check needs none).
     */
    static ProbeOutcome judge(HealthCheck check, int status, String body, long latencyNanos) {
        if (!check.expectsStatus(status)) {
            return ProbeOutcome.failed("status " + status + " (expected: " + check.expectedStatuses() + ")",
                    latencyNanos).withStatus(status);
        }
        if (check.type() == HealthCheck.Type.HTTP_AGENT) {
            return ProbeOutcome.agent(AgentAnswer.parse(body), latencyNanos).withStatus(status);
        }
        if (!check.bodyPattern().isEmpty() && !BodyPatterns.matches(check, body)) {
            return ProbeOutcome.failed("body mismatch (status " + status + ")", latencyNanos).withStatus(status);
        }
        return ProbeOutcome.ok("status " + status, latencyNanos).withStatus(status);
    }

    /**
     * The client for {@code check}: HTTP/1.1 for HTTP checks, HTTP/2 with prior knowledge for gRPC, TLS with the
     * check's trust for HTTPS and gRPC over TLS (offering {@code h2} and {@code http/1.1} by ALPN for the latter:
     * OkHttp needs the second in the list; {@link GrpcProbe} fails an answer that is not HTTP/2).
     *
     * @throws RuntimeException when the CA file of the check's trust cannot be read
     */
    OkHttpClient clientFor(Address address, HealthCheck check, ProxyProtocol proxyProtocol) {
        HealthCheck.Type type = check.type();
        OkHttpClient plain = headerClients.get(proxyProtocol);
        if (type == HealthCheck.Type.GRPC) {
            return h2cClients.get(proxyProtocol);
        }
        if (type != HealthCheck.Type.HTTPS && type != HealthCheck.Type.GRPCS) {
            return plain;
        }
        boolean h2 = type == HealthCheck.Type.GRPCS;
        OkHttpClient tls = tlsClients.computeIfAbsent(
                new TrustKey(check.trust(), check.trustedCaFile(), proxyProtocol, h2),
                k -> tlsClient(h2 ? plain.newBuilder().protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)).build()
                        : plain, CheckTrust.of(check)));
        if (urlHost(address, check).equals(address.host())) {
            return tls;
        }
        Dns toTarget = name -> List.of(InetAddress.getAllByName(address.host()));
        return tls.newBuilder().dns(toTarget).build();
    }

    private static OkHttpClient tlsClient(OkHttpClient plain, UpstreamTlsConfig config) {
        UpstreamTls tls = TlsContexts.upstream(config);
        OkHttpClient.Builder b = plain.newBuilder()
                .sslSocketFactory(tls.sslContext().getSocketFactory(), chainTrustManager(config));
        if (config.trust() == UpstreamTlsConfig.Trust.INSECURE) {
            b.hostnameVerifier((host, session) -> true);
        }
        return b.build();
    }

    /**
     * The trust manager OkHttp asks for next to the socket factory. The handshake is verified by the lb-tls context
     * itself; OkHttp uses this one only to clean chains for certificate pinning, which probes do not use.
     */
    private static X509TrustManager chainTrustManager(UpstreamTlsConfig config) {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (config.trust() == UpstreamTlsConfig.Trust.CERTIFICATES) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (X509Certificate c : config.trustedCertificates()) {
                    store.setCertificateEntry("ca-" + i++, c);
                }
                f.init(store);
            } else {
                f.init((KeyStore) null);
            }
            for (TrustManager m : f.getTrustManagers()) {
                if (m instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up the trust manager: " + e.getMessage(), e);
        }
    }

    /**
     * The URL host: over TLS (HTTPS and gRPC checks) the Host header's host (the SNI and verified name) when set,
     * else the target's.
     */
    static String urlHost(Address address, HealthCheck check) {
        boolean tls = check.type() == HealthCheck.Type.HTTPS || check.type() == HealthCheck.Type.GRPCS;
        if (tls && !check.hostHeader().isEmpty()) {
            return HttpUrl.get("https://" + check.hostHeader() + "/").host();
        }
        return address.host();
    }

    static Request request(Address address, HealthCheck check) {
        boolean https = check.type() == HealthCheck.Type.HTTPS;
        HttpUrl url = HttpUrl.get("http://" + address + check.path()).newBuilder()
                .scheme(https ? "https" : "http").host(urlHost(address, check)).port(address.port()).build();
        Request.Builder b = new Request.Builder().url(url);
        for (Map.Entry<String, String> h : check.headers().entrySet()) {
            b.addHeader(h.getKey(), h.getValue());
        }
        if (!check.hostHeader().isEmpty()) {
            b.header("Host", check.hostHeader());
        }
        if (!check.username().isEmpty()) {
            b.header("Authorization", Credentials.basic(check.username(), check.password(), StandardCharsets.UTF_8));
        }
        if (check.method() == HealthCheck.Method.POST) {
            MediaType type = check.contentType().isEmpty() ? null : MediaType.parse(check.contentType());
            b.post(RequestBody.create(check.requestBody().getBytes(StandardCharsets.UTF_8), type));
        } else if (check.method() == HealthCheck.Method.HEAD) {
            b.head();
        }
        return b.build();
    }

    static String reason(IOException e) {
        if (e instanceof InterruptedIOException) {
            return "timeout";
        }
        if (e instanceof ConnectException) {
            return "connection refused";
        }
        if (e instanceof SSLPeerUnverifiedException) {
            return "tls: certificate does not match the host name: " + e.getMessage();
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            return "tls: " + rootMessage(e);
        }
        if (e instanceof UnknownHostException) {
            return "unknown host " + e.getMessage();
        }
        return "io error: " + e.getMessage();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return t == e ? m : e.getMessage() + " (" + m + ")";
    }

    @Override
    public void close() {
        client.dispatcher().cancelAll();
        ExecutorService es = client.dispatcher().executorService();
        es.shutdown();
        client.connectionPool().evictAll();
    }
}
