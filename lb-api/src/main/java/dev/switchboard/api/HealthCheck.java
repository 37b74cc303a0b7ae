package dev.switchboard.api;

import dev.switchboard.api.spi.CustomCheck;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The active health check of one sub-service: what to send, what counts as a success, how often, and how many
 * consecutive results change the verdict. Each real server of the sub-service is probed with it (health is per
 * workload); set it with {@link SubService.Builder#healthCheck(HealthCheck)} and let a checker (lb-health's
 * {@code HealthChecker.apply(LoadBalancer)}) run it. Create with {@link #http()}, {@link #https()}, {@link #tcp()},
 * {@link #agent()}, {@link #httpAgent()}, {@link #grpc()}, {@link #grpcs()} or
 * {@link #custom(String, CustomCheck)}.
 *
 * <pre>{@code
 * HealthCheck check = HealthCheck.http()
 *         .method(HealthCheck.Method.GET).path("/owa/healthcheck.htm").hostHeader("mail.example.com")
 *         .basicAuth("probe", "secret").expectStatus(200).bodyPattern("(?i)ok")
 *         .interval(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(1)).rise(2).fall(3)
 *         .build();
 * }</pre>
 *
 * <p><b>Initial state.</b> A new target starts {@link Health#DOWN} by default and goes up on its first successful
 * probe, so no traffic reaches a server that was never seen healthy; {@code rise} applies from then on. With
 * {@code initialState(UP)} a target starts up and goes down on its first failed probe.
 *
 * <p><b>Fast interval.</b> While a target is changing state (a failure while up, or a success while down, until
 * {@code fall} or {@code rise} completes or the streak is broken) it is probed every {@code fastInterval} instead of
 * every {@code interval}, so that a failing server leaves the pool sooner.
 *
 * <p><b>What the checker checks.</b> {@link Builder#build()} checks every value it can without a library or a file:
 * the body pattern's RE2J syntax and the CA file of {@link Trust#CERTIFICATES} trust are checked by the checker
 * (lb-health's {@code HealthTargets.of(LoadBalancer)} and {@code HealthTargets.validate(HealthCheck)}).
 *
 * <p>Immutable and thread-safe, with value equality (a custom check's {@link CustomCheck} by identity); equal checks
 * on the same address are probed once and shared. The password never appears in {@link #toString()}.
 */
public final class HealthCheck {

    /**
     * The kind of probe: HTTP(S) requests judged by status and body, a TCP connect, or an agent that answers its
     * state and wishes over TCP ({@code AGENT}) or in an HTTP body ({@code HTTP_AGENT}), a {@link CustomCheck}, or
     * the gRPC health protocol over HTTP/2 ({@code GRPC} in cleartext with prior knowledge, {@code GRPCS} over TLS
     * with ALPN {@code h2}).
     */
    public enum Type { HTTP, HTTPS, TCP, AGENT, HTTP_AGENT, CUSTOM, GRPC, GRPCS;

        /** Whether this kind sends an HTTP/1.1 request judged by status and body. */
        public boolean http() {
            return this == HTTP || this == HTTPS || this == HTTP_AGENT;
        }

        /** Whether this kind asks the gRPC health service ({@code grpc.health.v1.Health/Check}). */
        public boolean grpc() {
            return this == GRPC || this == GRPCS;
        }
    }

    /** The request method of an HTTP check. */
    public enum Method { GET, HEAD, POST }

    /**
     * Whom an HTTPS check trusts: the JDK's system roots, the CA certificates of one PEM file, or anyone (lab use
     * only: no certificate or hostname verification).
     */
    public enum Trust { SYSTEM_ROOTS, CERTIFICATES, INSECURE }

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;
    /** The largest rise or fall. */
    public static final int MAX_COUNT = 1_000;
    /** The default random spread of each interval: interval ± 10 %. */
    public static final double DEFAULT_JITTER = 0.1;
    /** The largest jitter: interval ± 50 % (HAProxy's {@code spread-checks} allows up to 50 as well). */
    public static final double MAX_JITTER = 0.5;
    /** The smallest fast interval, and the floor of its default (a quarter of the interval). */
    public static final Duration MIN_FAST_INTERVAL = Duration.ofMillis(10);
    static final Duration MIN_DURATION = Duration.ofMillis(1);
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final List<StatusRange> DEFAULT_STATUSES = List.of(StatusRange.of(200, 399));
    /** The longest body pattern, in characters. */
    public static final int MAX_BODY_PATTERN = 1_024;
    /** The longest gRPC service name. */
    public static final int MAX_GRPC_SERVICE = 200;

    private final Type type;
    private final Duration interval;
    private final Duration fastInterval;
    private final double jitter;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final Health initialState;
    private final int port;
    private final Method method;
    private final String path;
    private final String hostHeader;
    private final Map<String, String> headers;
    private final String username;
    private final String password;
    private final List<StatusRange> expectedStatuses;
    private final String bodyPattern;
    private final String requestBody;
    private final String contentType;
    private final Trust trust;
    private final String trustedCaFile;
    private final String customName;
    private final CustomCheck customCheck;
    private final boolean reuseConnection;
    private final String grpcService;
    private int hash;

    private HealthCheck(Builder b) {
        type = b.type;
        interval = b.interval;
        fastInterval = b.fastIntervalSet ? b.fastInterval : defaultFastInterval(b.interval);
        jitter = b.jitter;
        timeout = b.timeout;
        rise = b.rise;
        fall = b.fall;
        initialState = b.initialState;
        port = b.port;
        method = b.method;
        path = b.path;
        hostHeader = b.hostHeader;
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        username = b.username;
        password = b.password;
        expectedStatuses = b.statuses.isEmpty() ? DEFAULT_STATUSES : List.copyOf(b.statuses);
        bodyPattern = b.bodyPattern;
        requestBody = b.requestBody;
        contentType = b.contentType;
        trust = b.trust;
        trustedCaFile = b.trustedCaFile;
        customName = b.customName;
        customCheck = b.customCheck;
        reuseConnection = b.reuseConnection && (type == Type.HTTP || type == Type.HTTP_AGENT);
        grpcService = b.grpcService;
    }

    static Duration defaultFastInterval(Duration interval) {
        Duration quarter = interval.dividedBy(4);
        Duration floored = quarter.compareTo(MIN_FAST_INTERVAL) < 0 ? MIN_FAST_INTERVAL : quarter;
        return floored.compareTo(interval) > 0 ? interval : floored;
    }

    public Type type() { return type; }
    public Duration interval() { return interval; }
    /**
     * Time between probes while the target is changing state; a quarter of the interval (at least 10 ms) by default.
     */
    public Duration fastInterval() { return fastInterval; }
    /** The random spread of each interval, as a fraction of it: 0.1 means interval ± 10 %; 0 means exactly periodic. */
    public double jitter() { return jitter; }
    public Duration timeout() { return timeout; }
    /** Consecutive successes that bring a down target up. */
    public int rise() { return rise; }
    /** Consecutive failures that take an up target down. */
    public int fall() { return fall; }
    public Health initialState() { return initialState; }
    /** The port to probe, or 0 to probe the real server's own port. */
    public int port() { return port; }
    public Method method() { return method; }
    /** The request target: a path starting with {@code /}, optionally with a query. */
    public String path() { return path; }
    /** The Host header to send, or empty to send the probed address. */
    public String hostHeader() { return hostHeader; }
    /** Extra request headers, in the order given. */
    public Map<String, String> headers() { return headers; }
    /** The basic-auth user name, or empty for none. */
    public String username() { return username; }
    /** The basic-auth password (empty when no credentials are set). */
    public String password() { return password; }
    /** Accepted status codes; 200..399 unless set. */
    public List<StatusRange> expectedStatuses() { return expectedStatuses; }
    /** The RE2J pattern the body must contain a match of (compiled and checked by the checker), or empty for none. */
    public String bodyPattern() { return bodyPattern; }
    /** The POST body, or empty. */
    public String requestBody() { return requestBody; }
    public String contentType() { return contentType; }
    /** Whom an HTTPS check trusts ({@link Trust#SYSTEM_ROOTS} unless set; meaningless for other kinds). */
    public Trust trust() { return trust; }
    /** The CA PEM file of {@link Trust#CERTIFICATES} trust, or empty. */
    public String trustedCaFile() { return trustedCaFile; }

    /** The name of a custom check, or empty. */
    public String customName() { return customName; }
    /** The probe of a {@link Type#CUSTOM} check (one that always fails for other kinds). */
    public CustomCheck customCheck() { return customCheck; }

    /**
     * Whether a plain-HTTP or HTTP agent probe keeps its connection open for the next probe (true unless set off;
     * always false for other kinds). See {@link Builder#reuseConnection(boolean)}.
     */
    public boolean reuseConnection() { return reuseConnection; }

    /** The service a gRPC check asks about; empty for the whole server (and on other kinds). */
    public String grpcService() { return grpcService; }

    /** Whether {@code status} is one of the expected statuses. */
    public boolean expectsStatus(int status) {
        for (StatusRange r : expectedStatuses) {
            if (r.contains(status)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A builder for an HTTP check (GET {@code /}, statuses 200..399 by default; the connection is kept for the next
     * probe, see {@link Builder#reuseConnection(boolean)}).
     */
    public static Builder http() {
        return new Builder(Type.HTTP);
    }

    /**
     * A builder for an HTTPS check: an HTTP check over TLS. Trust is the system roots unless
     * {@code trustCertificates(caPem)} or {@code insecure()} is set. The SNI name and the name checked against the
     * certificate are the Host header's host when set, else the target's host. Each probe opens a new connection;
     * {@code reuseConnection} is not available.
     */
    public static Builder https() {
        return new Builder(Type.HTTPS);
    }

    /**
     * A builder for a gRPC health check in cleartext (h2c, prior knowledge): each probe calls
     * {@code grpc.health.v1.Health/Check} on a new connection for {@link Builder#grpcService(String)} (the whole
     * server by default); up when the call ends with {@code grpc-status} 0 and the answer says {@code SERVING}.
     * {@code NOT_SERVING}, {@code SERVICE_UNKNOWN}, an error status (a server without the health service answers
     * {@code UNIMPLEMENTED}), an HTTP/1.1 server and a timeout are failures, each with its own reason. Takes
     * {@code hostHeader} (the {@code :authority}) and {@code header} (metadata) besides the timing settings.
     */
    public static Builder grpc() {
        return new Builder(Type.GRPC);
    }

    /**
     * A builder for a gRPC health check over TLS, offering only {@code h2} by ALPN (a server that does not select it
     * fails the probe); trust as for {@link #https()}.
     */
    public static Builder grpcs() {
        return new Builder(Type.GRPCS);
    }

    /** A builder for a TCP connect check: up when the server completes the TCP handshake within the timeout. */
    public static Builder tcp() {
        return new Builder(Type.TCP);
    }

    /**
     * A builder for a TCP agent check: connects (usually to a dedicated {@code port}), reads one line of at most
     * 512 bytes and judges it as an agent's answer ({@code up}, {@code down}, a weight, {@code drain}...).
     */
    public static Builder agent() {
        return new Builder(Type.AGENT);
    }

    /** A builder for an HTTP agent check: an HTTP check whose response body is the agent's answer. */
    public static Builder httpAgent() {
        return new Builder(Type.HTTP_AGENT);
    }

    /**
     * A builder for a check that runs your {@link CustomCheck} against each target's address (or its host with the
     * check's {@code port}), with the usual interval, timeout, rise, fall and initial state.
     *
     * @param name what logs and reasons call the check (1..64 printable characters, checked by {@code build()})
     */
    public static Builder custom(String name, CustomCheck check) {
        return new Builder(name, check);
    }

    /** A builder preset with this check's values. */
    public Builder newBuilder() {
        Builder b = new Builder(type);
        b.customName = customName;
        b.customCheck = customCheck;
        b.interval = interval;
        b.fastInterval = fastInterval;
        b.fastIntervalSet = !fastInterval.equals(defaultFastInterval(interval));
        b.jitter = jitter;
        b.timeout = timeout;
        b.rise = rise;
        b.fall = fall;
        b.initialState = initialState;
        b.port = port;
        b.method = method;
        b.path = path;
        b.hostHeader = hostHeader;
        b.headers.putAll(headers);
        b.username = username;
        b.password = password;
        if (expectedStatuses != DEFAULT_STATUSES) {
            b.statuses.addAll(expectedStatuses);
        }
        b.bodyPattern = bodyPattern;
        b.requestBody = requestBody;
        b.contentType = contentType;
        b.trust = trust;
        b.trustedCaFile = trustedCaFile;
        b.reuseConnection = reuseConnection || !(type == Type.HTTP || type == Type.HTTP_AGENT);
        b.grpcService = grpcService;
        b.httpOnlySet.clear();
        b.httpsOnlySet.clear();
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof HealthCheck c && type == c.type && interval.equals(c.interval)
                && fastInterval.equals(c.fastInterval) && jitter == c.jitter && trust == c.trust
                && trustedCaFile.equals(c.trustedCaFile)
                && timeout.equals(c.timeout) && rise == c.rise && fall == c.fall && initialState == c.initialState
                && port == c.port && method == c.method && path.equals(c.path) && hostHeader.equals(c.hostHeader)
                && headers.equals(c.headers) && username.equals(c.username) && password.equals(c.password)
                && expectedStatuses.equals(c.expectedStatuses) && bodyPattern.equals(c.bodyPattern)
                && requestBody.equals(c.requestBody) && contentType.equals(c.contentType)
                && customName.equals(c.customName) && customCheck == c.customCheck
                && reuseConnection == c.reuseConnection && grpcService.equals(c.grpcService);
    }

    @Override
    public int hashCode() {
        int h = hash; // computed once: probes look checks up by address and check
        if (h == 0) {
            h = Objects.hash(type, interval, fastInterval, jitter, trust, trustedCaFile, timeout, rise, fall,
                    initialState, port, method, path, hostHeader, headers, username, password, expectedStatuses,
                    bodyPattern, requestBody, contentType, customName, System.identityHashCode(customCheck),
                    reuseConnection, grpcService);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        if (type.grpc()) {
            return type.name().toLowerCase(java.util.Locale.ROOT) + " check"
                    + (grpcService.isEmpty() ? "" : " service " + grpcService) + (port == 0 ? "" : " port " + port)
                    + (hostHeader.isEmpty() ? "" : " authority " + hostHeader)
                    + (type == Type.GRPCS ? trustText() : "");
        }
        if (!type.http()) {
            return (type == Type.TCP ? "tcp check" : type == Type.CUSTOM ? "custom check " + customName
                    : "agent check") + (port == 0 ? "" : " port " + port);
        }
        return type.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " check " + method + " " + path
                + (port == 0 ? "" : " port " + port)
                + (hostHeader.isEmpty() ? "" : " host " + hostHeader)
                + (username.isEmpty() ? "" : " auth " + username + ":***") + " expect " + expectedStatuses
                + (bodyPattern.isEmpty() ? "" : " body /" + bodyPattern + "/")
                + (type == Type.HTTPS ? trustText() : "")
                + (type.http() && type != Type.HTTPS && !reuseConnection ? " new connection per probe" : "");
    }

    private String trustText() {
        return " trust " + trust + (trustedCaFile.isEmpty() ? "" : " " + trustedCaFile);
    }

    /**
     * Builds a {@link HealthCheck}. Setters reject null at once; {@link #build()} checks every value and throws one
     * {@link ConfigurationException} naming each bad field and its value. Not thread-safe.
     */
    public static final class Builder extends AbstractHealthCheckBuilder {

        private Builder(Type type) {
            super(type);
        }

        private Builder(String name, CustomCheck check) {
            super(name, check);
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigurationException listing every bad field with its value
         */
        public HealthCheck build() {
            Problems p = new Problems();
            HealthCheckValidation.validate(this, p);
            p.throwIfAny();
            return new HealthCheck(this);
        }
    }
}
