package dev.switchboard.api;

import dev.switchboard.api.HealthCheck.Method;
import dev.switchboard.api.HealthCheck.Trust;
import dev.switchboard.api.HealthCheck.Type;
import dev.switchboard.api.spi.CheckResult;
import dev.switchboard.api.spi.CustomCheck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The settings and setters of {@link HealthCheck.Builder}, kept apart so that {@code HealthCheck} stays small; its
 * only subclass is that builder, whose javadoc lists these setters as its own. Setters reject null at once and record
 * which kind-specific fields were set; {@link HealthCheckValidation} checks the values when {@code build()} is
 * called. Not thread-safe.
 */
abstract sealed class AbstractHealthCheckBuilder permits HealthCheck.Builder {

    private static final CustomCheck NO_CUSTOM_CHECK = address -> CompletableFuture
            .completedFuture(CheckResult.down("not a custom check"));

    final Type type;
    Duration interval = HealthCheck.DEFAULT_INTERVAL;
    Duration fastInterval = Duration.ZERO;
    boolean fastIntervalSet;
    double jitter = HealthCheck.DEFAULT_JITTER;
    Duration timeout = HealthCheck.DEFAULT_TIMEOUT;
    int rise = HealthCheck.DEFAULT_RISE;
    int fall = HealthCheck.DEFAULT_FALL;
    Health initialState = Health.DOWN;
    int port;
    Method method = Method.GET;
    String path = "/";
    String hostHeader = "";
    final Map<String, String> headers = new LinkedHashMap<>();
    String username = "";
    String password = "";
    final List<StatusRange> statuses = new ArrayList<>();
    String bodyPattern = "";
    String requestBody = "";
    String contentType = "";
    final Set<String> httpOnlySet = new LinkedHashSet<>();
    Trust trust = Trust.SYSTEM_ROOTS;
    String trustedCaFile = "";
    final Set<String> httpsOnlySet = new LinkedHashSet<>();
    String customName = "";
    CustomCheck customCheck = NO_CUSTOM_CHECK;
    boolean reuseConnection = true;
    boolean reuseSet;
    String grpcService = "";
    boolean grpcServiceSet;

    AbstractHealthCheckBuilder(Type type) {
        this.type = type;
    }

    AbstractHealthCheckBuilder(String name, CustomCheck check) {
        this(Type.CUSTOM);
        this.customName = Objects.requireNonNull(name, "name");
        this.customCheck = Objects.requireNonNull(check, "check");
    }

    /** Time between probes of one target; 1 ms..1 h. */
    public HealthCheck.Builder interval(Duration interval) {
        this.interval = Objects.requireNonNull(interval, "interval");
        return self();
    }

    /**
     * Time between probes while a target is changing state; 10 ms..interval, a quarter of the interval (at
     * least 10 ms) when unset.
     */
    public HealthCheck.Builder fastInterval(Duration fastInterval) {
        this.fastInterval = Objects.requireNonNull(fastInterval, "fastInterval");
        this.fastIntervalSet = true;
        return self();
    }

    /**
     * The random spread of each interval, as a fraction of it, 0..0.5: each probe after the first runs after
     * the interval (or the fast interval) plus or minus up to this fraction of it, so that checks started
     * together drift apart. 0.1 (interval ± 10 %) by default; 0 probes exactly periodically.
     */
    public HealthCheck.Builder jitter(double fraction) {
        this.jitter = fraction;
        return self();
    }

    /** HTTPS and gRPC over TLS: trust the JDK's system roots (the default). */
    public HealthCheck.Builder trustSystemRoots() {
        httpsOnlySet.add("trust");
        this.trust = Trust.SYSTEM_ROOTS;
        this.trustedCaFile = "";
        return self();
    }

    /**
     * HTTPS and gRPC over TLS: trust only the CA certificates of this PEM file (read by the checker, not by
     * {@link HealthCheck.Builder#build()}).
     */
    public HealthCheck.Builder trustCertificates(Path caPem) {
        httpsOnlySet.add("trust");
        this.trust = Trust.CERTIFICATES;
        this.trustedCaFile = Objects.requireNonNull(caPem, "caPem").toString();
        return self();
    }

    /**
     * HTTPS and gRPC over TLS: trust any certificate and skip hostname verification. Lab use only: logged at WARN
     * when the probe's TLS context is made.
     */
    public HealthCheck.Builder insecure() {
        httpsOnlySet.add("trust");
        this.trust = Trust.INSECURE;
        this.trustedCaFile = "";
        return self();
    }

    /** How long one probe may take (connect, request and response); 1 ms..1 h. */
    public HealthCheck.Builder timeout(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        return self();
    }

    /** Consecutive successes that bring a down target up; 1..1000. */
    public HealthCheck.Builder rise(int rise) {
        this.rise = rise;
        return self();
    }

    /** Consecutive failures that take an up target down; 1..1000. */
    public HealthCheck.Builder fall(int fall) {
        this.fall = fall;
        return self();
    }

    /** The state of a new target before its first probe; {@link Health#DOWN} by default. */
    public HealthCheck.Builder initialState(Health initialState) {
        this.initialState = Objects.requireNonNull(initialState, "initialState");
        return self();
    }

    /** Probes this port instead of the real server's port; 1..65535. */
    public HealthCheck.Builder port(int port) {
        this.port = port;
        return self();
    }

    public HealthCheck.Builder method(Method method) {
        this.method = http("method", Objects.requireNonNull(method, "method"));
        return self();
    }

    /** The request target, starting with {@code /}; may carry a query. */
    public HealthCheck.Builder path(String path) {
        this.path = http("path", Objects.requireNonNull(path, "path"));
        return self();
    }

    /** The Host header of an HTTP check; the {@code :authority} of a gRPC check. */
    public HealthCheck.Builder hostHeader(String host) {
        this.hostHeader = http("hostHeader", Objects.requireNonNull(host, "hostHeader"));
        return self();
    }

    /** Adds a request header, or a gRPC check's metadata entry (replacing one of the same name given before). */
    public HealthCheck.Builder header(String name, String value) {
        http("headers", name);
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return self();
    }

    /** Sends {@code Authorization: Basic ...} with these credentials. */
    public HealthCheck.Builder basicAuth(String username, String password) {
        this.username = http("username", Objects.requireNonNull(username, "username"));
        this.password = Objects.requireNonNull(password, "password");
        return self();
    }

    /** Accepts these status codes (adds to codes given before; 200..399 when none is given). */
    public HealthCheck.Builder expectStatus(int... codes) {
        http("expectedStatuses", codes);
        for (int c : codes) {
            statuses.add(StatusRange.of(c));
        }
        return self();
    }

    /** Accepts the codes {@code from..to} inclusive. */
    public HealthCheck.Builder expectStatusRange(int from, int to) {
        http("expectedStatuses", from);
        statuses.add(StatusRange.of(from, to));
        return self();
    }

    /** Requires the response body to contain a match of this RE2J pattern (up to 64 KiB are read). */
    public HealthCheck.Builder bodyPattern(String regex) {
        this.bodyPattern = http("bodyPattern", Objects.requireNonNull(regex, "bodyPattern"));
        return self();
    }

    /** The body of a POST check, with its content type. */
    public HealthCheck.Builder requestBody(String body, String contentType) {
        this.requestBody = http("requestBody", Objects.requireNonNull(body, "requestBody"));
        this.contentType = Objects.requireNonNull(contentType, "contentType");
        return self();
    }

    /**
     * Plain HTTP and HTTP agent checks: whether a probe keeps its connection open after a complete answer that
     * allows it (HTTP/1.1, no {@code Connection: close}, body framed by Content-Length or chunked and read to
     * its end, success), so that the next probe of the same target sends its request on it; true by default, as
     * Envoy's {@code reuse_connection}. A connection the server closed while idle, or that it closes before
     * answering a reused request, is not a failure: the probe retries once at once on a new connection, within
     * its timeout. The trade-off: a kept connection does not prove that the server still accepts new ones (a
     * full accept queue, a listener stopped while old connections drain), which a probe on a new connection
     * each time does (what HAProxy does); the cost is a TCP handshake and close per probe. Set false for that
     * check; then the request says {@code Connection: close}. HTTPS probes always open a new connection, TCP
     * and agent probes have no request: setting this on them is a {@link HealthCheck.Builder#build()} error.
     */
    public HealthCheck.Builder reuseConnection(boolean reuse) {
        this.reuseConnection = reuse;
        reuseSet = true;
        return self();
    }

    /**
     * gRPC checks: the service whose health is asked for ({@code grpc.health.v1.HealthCheckRequest.service}); empty,
     * the default, asks for the server as a whole. Up to 200 characters of letters, digits, {@code . _ - /}.
     */
    public HealthCheck.Builder grpcService(String service) {
        this.grpcService = Objects.requireNonNull(service, "grpcService");
        grpcServiceSet = true;
        return self();
    }

    private <T> T http(String field, T value) {
        httpOnlySet.add(field);
        return value;
    }

    private HealthCheck.Builder self() {
        return (HealthCheck.Builder) this;
    }
}
