package dev.switchboard.health;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.switchboard.api.internal.Problems;
import dev.switchboard.tls.UpstreamTlsConfig;
import dev.switchboard.tls.UpstreamTlsConfig.Trust;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;

/** The checks of {@link HealthCheck.Builder#build()}, kept apart so that the builder stays small. */
final class HealthCheckValidation {

    private HealthCheckValidation() {
    }

    /**
     * Checks every field, recording problems; returns the TLS configuration of the check (defaults when its CA
     * file cannot be read, with the problem recorded).
     */
    static UpstreamTlsConfig validate(HealthCheck.Builder b, Problems p) {
        duration(p, "interval", b.interval);
        duration(p, "timeout", b.timeout);
        if (b.fastIntervalSet && (b.fastInterval.compareTo(HealthCheck.MIN_FAST_INTERVAL) < 0
                || b.fastInterval.compareTo(b.interval) > 0)) {
            p.add("fastInterval", b.fastInterval + " (expected: 10ms..interval (" + b.interval + "))");
        }
        if (!(b.jitter >= 0 && b.jitter <= HealthCheck.MAX_JITTER)) {
            p.add("jitter", b.jitter + " (expected: 0..0.5, a fraction of the interval)");
        }
        count(p, "rise", b.rise);
        count(p, "fall", b.fall);
        if (b.port != 0 && (b.port < 1 || b.port > 65535)) {
            p.add("port", b.port + " (expected: 1..65535, or unset for the server's port)");
        }
        if (b.type != HealthCheck.Type.HTTPS) {
            for (String field : b.httpsOnlySet) {
                p.add(field, "set on a " + b.type + " check (expected: only on https checks)");
            }
        }
        if (b.reuseSet && b.type != HealthCheck.Type.HTTP && b.type != HealthCheck.Type.HTTP_AGENT) {
            p.add("reuseConnection", b.reuseConnection + " on a " + b.type + " check (expected: only on http and"
                    + " http agent checks; an HTTPS probe opens a new connection each time)");
        }
        if (b.type == HealthCheck.Type.CUSTOM && (b.customName.isEmpty() || b.customName.length() > 64
                || b.customName.chars().anyMatch(c -> c < ' ' || c == 127))) {
            p.add("customName", "'" + b.customName + "' (expected: 1..64 printable characters)");
        }
        UpstreamTlsConfig tls = tls(b, p);
        if (!b.type.http()) {
            for (String field : b.httpOnlySet) {
                p.add(field, "set on a " + b.type + " check (expected: only on http checks)");
            }
        } else {
            validateHttp(b, p);
        }
        return tls;
    }

    /** The compiled body pattern of an HTTP check, or null when there is none or it is invalid (recorded). */
    static Pattern bodyPattern(HealthCheck.Builder b, Problems p) {
        if (!b.type.http() || b.bodyPattern.isEmpty()) {
            return null;
        }
        try {
            return Pattern.compile(b.bodyPattern);
        } catch (PatternSyntaxException e) {
            p.add("bodyPattern", b.bodyPattern + " (expected: an RE2J regular expression: " + e.getDescription() + ")");
            return null;
        }
    }

    private static UpstreamTlsConfig tls(HealthCheck.Builder b, Problems p) {
        if (b.trust != Trust.CERTIFICATES) {
            UpstreamTlsConfig.Builder tls = UpstreamTlsConfig.builder();
            return (b.trust == Trust.INSECURE ? tls.insecure() : tls).build();
        }
        try {
            return UpstreamTlsConfig.builder().trustCertificates(Path.of(b.trustedCaFile)).build();
        } catch (RuntimeException e) {
            p.add("trust", b.trustedCaFile + " (expected: a readable PEM file with a CA certificate: "
                    + e.getMessage() + ")");
            return UpstreamTlsConfig.ofDefaults();
        }
    }

    private static void duration(Problems p, String field, Duration d) {
        if (d.compareTo(HealthCheck.MIN_DURATION) < 0 || d.compareTo(HealthCheck.MAX_DURATION) > 0) {
            p.add(field, d + " (expected: 1ms..1h)");
        }
    }

    private static void count(Problems p, String field, int n) {
        if (n < 1 || n > HealthCheck.MAX_COUNT) {
            p.add(field, n + " (expected: 1.." + HealthCheck.MAX_COUNT + ")");
        }
    }

    private static void validateHttp(HealthCheck.Builder b, Problems p) {
        if (!b.path.startsWith("/") || HttpUrl.parse("http://localhost" + b.path) == null
                || b.path.chars().anyMatch(c -> c <= ' ' || c == 127)) {
            p.add("path", "'" + b.path + "' (expected: a path starting with /, without spaces)");
        }
        if (!b.hostHeader.isEmpty() && HttpUrl.parse("http://" + b.hostHeader + "/") == null) {
            p.add("hostHeader", "'" + b.hostHeader + "' (expected: host or host:port)");
        }
        for (Map.Entry<String, String> h : b.headers.entrySet()) {
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
        if (b.httpOnlySet.contains("username") && (b.username.isEmpty() || b.username.indexOf(':') >= 0)) {
            p.add("username", "'" + b.username + "' (expected: non-empty, without ':')");
        }
        for (int i = 0; i < b.statuses.size(); i++) {
            StatusRange r = b.statuses.get(i);
            if (r.from() < 100 || r.to() > 599 || r.from() > r.to()) {
                p.add("expectedStatuses[" + i + "]", r + " (expected: codes in 100..599, from <= to)");
            }
        }
        if (b.method == HttpMethod.HEAD && b.type == HealthCheck.Type.HTTP_AGENT) {
            p.add("method", "HEAD on an http agent check (expected: GET or POST, the answer is the body)");
        }
        if (b.method == HttpMethod.HEAD && !b.bodyPattern.isEmpty()) {
            p.add("bodyPattern", b.bodyPattern + " (expected: none on a HEAD check, which gets no body)");
        }
        if (!b.contentType.isEmpty() && MediaType.parse(b.contentType) == null) {
            p.add("contentType", "'" + b.contentType + "' (expected: a media type such as application/json)");
        }
        if (b.method != HttpMethod.POST && !b.requestBody.isEmpty()) {
            p.add("requestBody", "set on a " + b.method + " check (expected: only with POST)");
        }
    }
}
