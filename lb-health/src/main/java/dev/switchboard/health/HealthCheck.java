package dev.switchboard.health;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.Problems;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;

/**
 * One active health check: what to send, what counts as a success, how often, and how many consecutive results
 * change the verdict. Create with {@link HealthChecks#http()} or {@link HealthChecks#tcp()}.
 *
 * <pre>{@code
 * HealthCheck check = HealthChecks.http()
 *         .method(HttpMethod.GET).path("/owa/healthcheck.htm").hostHeader("mail.example.com")
 *         .basicAuth("probe", "secret").expectStatus(200).bodyPattern("(?i)ok")
 *         .interval(Duration.ofSeconds(2)).timeout(Duration.ofSeconds(1)).rise(2).fall(3)
 *         .build();
 * }</pre>
 *
 * <p><b>Initial state.</b> A new target starts {@link Health#DOWN} by default and goes up on its first successful
 * probe, so no traffic reaches a server that was never seen healthy; {@code rise} applies from then on. With
 * {@code initialState(UP)} a target starts up and goes down on its first failed probe. Immutable and thread-safe;
 * equal checks on the same address are probed once and shared. The password never appears in {@link #toString()}.
 */
public final class HealthCheck {

    /** The kind of probe. HTTPS will come with lb-tls. */
    public enum Type { HTTP, TCP }

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(2);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
    public static final int DEFAULT_RISE = 2;
    public static final int DEFAULT_FALL = 3;
    /** The largest rise or fall. */
    public static final int MAX_COUNT = 1_000;
    static final Duration MIN_DURATION = Duration.ofMillis(1);
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final List<StatusRange> DEFAULT_STATUSES = List.of(StatusRange.of(200, 399));

    private final Type type;
    private final Duration interval;
    private final Duration timeout;
    private final int rise;
    private final int fall;
    private final Health initialState;
    private final int port;
    private final HttpMethod method;
    private final String path;
    private final String hostHeader;
    private final Map<String, String> headers;
    private final String username;
    private final String password;
    private final List<StatusRange> expectedStatuses;
    private final String bodyPattern;
    private final Pattern compiledBodyPattern;
    private final String requestBody;
    private final String contentType;

    private HealthCheck(Builder b, Pattern compiled) {
        type = b.type;
        interval = b.interval;
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
        compiledBodyPattern = compiled;
        requestBody = b.requestBody;
        contentType = b.contentType;
    }

    public Type type() { return type; }
    public Duration interval() { return interval; }
    public Duration timeout() { return timeout; }
    /** Consecutive successes that bring a down target up. */
    public int rise() { return rise; }
    /** Consecutive failures that take an up target down. */
    public int fall() { return fall; }
    public Health initialState() { return initialState; }
    /** The port to probe, or 0 to probe the real server's own port. */
    public int port() { return port; }
    public HttpMethod method() { return method; }
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
    /** The RE2J pattern the body must contain a match of, or empty for none. */
    public String bodyPattern() { return bodyPattern; }
    /** The POST body, or empty. */
    public String requestBody() { return requestBody; }
    public String contentType() { return contentType; }

    /** Whether {@code status} is one of the expected statuses. */
    public boolean expectsStatus(int status) {
        for (StatusRange r : expectedStatuses) {
            if (r.contains(status)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code body} contains a match of the body pattern (true when there is none). */
    public boolean bodyMatches(CharSequence body) {
        return compiledBodyPattern == null || compiledBodyPattern.matcher(body).find();
    }

    /** A builder preset with this check's values. */
    public Builder newBuilder() {
        Builder b = new Builder(type);
        b.interval = interval;
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
        b.httpOnlySet.clear();
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HealthCheck c && type == c.type && interval.equals(c.interval)
                && timeout.equals(c.timeout) && rise == c.rise && fall == c.fall && initialState == c.initialState
                && port == c.port && method == c.method && path.equals(c.path) && hostHeader.equals(c.hostHeader)
                && headers.equals(c.headers) && username.equals(c.username) && password.equals(c.password)
                && expectedStatuses.equals(c.expectedStatuses) && bodyPattern.equals(c.bodyPattern)
                && requestBody.equals(c.requestBody) && contentType.equals(c.contentType);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, interval, timeout, rise, fall, initialState, port, method, path, hostHeader,
                headers, username, password, expectedStatuses, bodyPattern, requestBody, contentType);
    }

    @Override
    public String toString() {
        if (type == Type.TCP) {
            return "tcp check" + (port == 0 ? "" : " port " + port);
        }
        return "http check " + method + " " + path + (port == 0 ? "" : " port " + port)
                + (hostHeader.isEmpty() ? "" : " host " + hostHeader)
                + (username.isEmpty() ? "" : " auth " + username + ":***") + " expect " + expectedStatuses
                + (bodyPattern.isEmpty() ? "" : " body /" + bodyPattern + "/");
    }

    /**
     * Builds a {@link HealthCheck}. Setters reject null at once; {@link #build()} checks every value and throws one
     * {@link ConfigurationException} naming each bad field and its value. Not thread-safe.
     */
    public static final class Builder {
        private final Type type;
        private Duration interval = DEFAULT_INTERVAL;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int rise = DEFAULT_RISE;
        private int fall = DEFAULT_FALL;
        private Health initialState = Health.DOWN;
        private int port;
        private HttpMethod method = HttpMethod.GET;
        private String path = "/";
        private String hostHeader = "";
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String username = "";
        private String password = "";
        private final List<StatusRange> statuses = new ArrayList<>();
        private String bodyPattern = "";
        private String requestBody = "";
        private String contentType = "";
        private final Set<String> httpOnlySet = new LinkedHashSet<>();

        Builder(Type type) {
            this.type = type;
        }

        /** Time between probes of one target; 1 ms..1 h. */
        public Builder interval(Duration interval) {
            this.interval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /** How long one probe may take (connect, request and response); 1 ms..1 h. */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Consecutive successes that bring a down target up; 1..1000. */
        public Builder rise(int rise) {
            this.rise = rise;
            return this;
        }

        /** Consecutive failures that take an up target down; 1..1000. */
        public Builder fall(int fall) {
            this.fall = fall;
            return this;
        }

        /** The state of a new target before its first probe; {@link Health#DOWN} by default. */
        public Builder initialState(Health initialState) {
            this.initialState = Objects.requireNonNull(initialState, "initialState");
            return this;
        }

        /** Probes this port instead of the real server's port; 1..65535. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder method(HttpMethod method) {
            this.method = http("method", Objects.requireNonNull(method, "method"));
            return this;
        }

        /** The request target, starting with {@code /}; may carry a query. */
        public Builder path(String path) {
            this.path = http("path", Objects.requireNonNull(path, "path"));
            return this;
        }

        public Builder hostHeader(String host) {
            this.hostHeader = http("hostHeader", Objects.requireNonNull(host, "hostHeader"));
            return this;
        }

        /** Adds a request header (replacing one of the same name given before). */
        public Builder header(String name, String value) {
            http("headers", name);
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Sends {@code Authorization: Basic ...} with these credentials. */
        public Builder basicAuth(String username, String password) {
            this.username = http("username", Objects.requireNonNull(username, "username"));
            this.password = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Accepts these status codes (adds to codes given before; 200..399 when none is given). */
        public Builder expectStatus(int... codes) {
            http("expectedStatuses", codes);
            for (int c : codes) {
                statuses.add(StatusRange.of(c));
            }
            return this;
        }

        /** Accepts the codes {@code from..to} inclusive. */
        public Builder expectStatusRange(int from, int to) {
            http("expectedStatuses", from);
            statuses.add(StatusRange.of(from, to));
            return this;
        }

        /** Requires the response body to contain a match of this RE2J pattern (up to 64 KiB are read). */
        public Builder bodyPattern(String regex) {
            this.bodyPattern = http("bodyPattern", Objects.requireNonNull(regex, "bodyPattern"));
            return this;
        }

        /** The body of a POST check, with its content type. */
        public Builder requestBody(String body, String contentType) {
            this.requestBody = http("requestBody", Objects.requireNonNull(body, "requestBody"));
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        private <T> T http(String field, T value) {
            httpOnlySet.add(field);
            return value;
        }

        /**
         * Validates and builds.
         *
         * @throws ConfigurationException listing every bad field with its value
         */
        public HealthCheck build() {
            Problems p = new Problems();
            duration(p, "interval", interval);
            duration(p, "timeout", timeout);
            count(p, "rise", rise);
            count(p, "fall", fall);
            if (port != 0 && (port < 1 || port > 65535)) {
                p.add("port", port + " (expected: 1..65535, or unset for the server's port)");
            }
            Pattern compiled = null;
            if (type == Type.TCP) {
                for (String field : httpOnlySet) {
                    p.add(field, "set on a tcp check (expected: only on http checks)");
                }
            } else {
                validateHttp(p);
                if (!bodyPattern.isEmpty()) {
                    try {
                        compiled = Pattern.compile(bodyPattern);
                    } catch (PatternSyntaxException e) {
                        p.add("bodyPattern", bodyPattern + " (expected: an RE2J regular expression: "
                                + e.getDescription() + ")");
                    }
                }
            }
            p.throwIfAny();
            return new HealthCheck(this, compiled);
        }

        private void validateHttp(Problems p) {
            if (!path.startsWith("/") || HttpUrl.parse("http://localhost" + path) == null
                    || path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
                p.add("path", "'" + path + "' (expected: a path starting with /, without spaces)");
            }
            if (!hostHeader.isEmpty() && HttpUrl.parse("http://" + hostHeader + "/") == null) {
                p.add("hostHeader", "'" + hostHeader + "' (expected: host or host:port)");
            }
            for (Map.Entry<String, String> h : headers.entrySet()) {
                try {
                    new Headers.Builder().add(h.getKey(), h.getValue());
                } catch (IllegalArgumentException e) {
                    p.add("headers[" + h.getKey() + "]", "'" + h.getKey() + ": " + h.getValue()
                            + "' (expected: a token name and a printable value)");
                }
                if (h.getKey().equalsIgnoreCase("Host")) {
                    p.add("headers[" + h.getKey() + "]", "Host (expected: set with hostHeader)");
                }
            }
            if (httpOnlySet.contains("username") && (username.isEmpty() || username.indexOf(':') >= 0)) {
                p.add("username", "'" + username + "' (expected: non-empty, without ':')");
            }
            for (int i = 0; i < statuses.size(); i++) {
                StatusRange r = statuses.get(i);
                if (r.from() < 100 || r.to() > 599 || r.from() > r.to()) {
                    p.add("expectedStatuses[" + i + "]", r + " (expected: codes in 100..599, from <= to)");
                }
            }
            if (method == HttpMethod.HEAD && !bodyPattern.isEmpty()) {
                p.add("bodyPattern", bodyPattern + " (expected: none on a HEAD check, which gets no body)");
            }
            if (!contentType.isEmpty() && MediaType.parse(contentType) == null) {
                p.add("contentType", "'" + contentType + "' (expected: a media type such as application/json)");
            }
            if (method != HttpMethod.POST && !requestBody.isEmpty()) {
                p.add("requestBody", "set on a " + method + " check (expected: only with POST)");
            }
        }

        private static void duration(Problems p, String field, Duration d) {
            if (d.compareTo(MIN_DURATION) < 0 || d.compareTo(MAX_DURATION) > 0) {
                p.add(field, d + " (expected: 1ms..1h)");
            }
        }

        private static void count(Problems p, String field, int n) {
            if (n < 1 || n > MAX_COUNT) {
                p.add(field, n + " (expected: 1.." + MAX_COUNT + ")");
            }
        }
    }
}
