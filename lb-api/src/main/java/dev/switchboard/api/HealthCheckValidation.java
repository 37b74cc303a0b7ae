package dev.switchboard.api;

import dev.switchboard.api.HealthCheck.Method;
import dev.switchboard.api.HealthCheck.Trust;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks of {@link HealthCheck.Builder#build()}, kept apart so that the builder stays small. Everything that
 * needs no library and no file: the body pattern's RE2J syntax and the CA file are the checker's to check.
 */
final class HealthCheckValidation {

    /** A host name, IPv4 address or bracketed IPv6 address, with an optional port. */
    private static final Pattern HOST = Pattern.compile(
            "(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
            + "|\\[[0-9A-Fa-f:.]+])(?::[0-9]{1,5})?");
    /** A media type: type/subtype with optional parameters. */
    private static final Pattern MEDIA_TYPE = Pattern.compile(
            "[!#$%&'*+.^_`|~0-9A-Za-z-]+/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\\s*;\\s*[^;\\s=]+=[^;]*)*");
    /** The characters a request target may hold (RFC 3986 unreserved, reserved but {@code #}, and {@code %}). */
    private static final String TARGET_CHARS = "-._~:/?[]@!$&'()*+,;=%";
    /** The characters of a gRPC service name (a fully qualified name such as {@code pkg.Service}). */
    private static final Pattern GRPC_SERVICE = Pattern.compile("[A-Za-z0-9._/-]*");
    /** The HTTP check fields a gRPC check takes too. */
    private static final Set<String> GRPC_FIELDS = Set.of("hostHeader", "headers");

    private HealthCheckValidation() {
    }

    /** Checks every field, recording problems. */
    static void validate(HealthCheck.Builder b, Problems p) {
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
        if (b.type != HealthCheck.Type.HTTPS && b.type != HealthCheck.Type.GRPCS) {
            for (String field : b.httpsOnlySet) {
                p.add(field, "set on a " + b.type + " check (expected: only on https and grpcs checks)");
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
        if (b.trust == Trust.CERTIFICATES && b.trustedCaFile.isBlank()) {
            p.add("trust", "'" + b.trustedCaFile + "' (expected: the path of a PEM file with a CA certificate)");
        }
        if (b.type.grpc()) {
            validateGrpc(b, p);
        } else if (b.grpcServiceSet) {
            p.add("grpcService", "'" + b.grpcService + "' on a " + b.type + " check (expected: only on grpc checks)");
        }
        if (b.type.http()) {
            validateHttp(b, p);
        } else {
            for (String field : b.httpOnlySet) {
                if (!(b.type.grpc() && GRPC_FIELDS.contains(field))) {
                    p.add(field, "set on a " + b.type + " check (expected: only on http checks"
                            + (b.type.grpc() ? "; a grpc check takes the host and headers" : "") + ")");
                }
            }
        }
    }

    /** A gRPC check's service name, its {@code :authority} and its metadata. */
    private static void validateGrpc(HealthCheck.Builder b, Problems p) {
        if (b.grpcService.length() > HealthCheck.MAX_GRPC_SERVICE || !GRPC_SERVICE.matcher(b.grpcService).matches()) {
            p.add("grpcService", "'" + b.grpcService + "' (expected: up to " + HealthCheck.MAX_GRPC_SERVICE
                    + " letters, digits, '.', '_', '-' or '/'; empty for the whole server)");
        }
        validateHostAndHeaders(b, p);
        for (String name : b.headers.keySet()) {
            if (name.startsWith(":") || name.equalsIgnoreCase("te") || name.equalsIgnoreCase("content-type")
                    || name.regionMatches(true, 0, "grpc-", 0, 5)) {
                p.add("headers[" + name + "]", name + " (expected: metadata of your own; the probe sets te,"
                        + " content-type and the grpc- headers)");
            }
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

    private static void validateHostAndHeaders(HealthCheck.Builder b, Problems p) {
        if (!b.hostHeader.isEmpty() && !validHost(b.hostHeader)) {
            p.add("hostHeader", "'" + b.hostHeader + "' (expected: host or host:port)");
        }
        for (Map.Entry<String, String> h : b.headers.entrySet()) {
            if (!Tokens.isToken(h.getKey()) || !h.getValue().chars().allMatch(c -> c == '\t' || c >= ' ' && c < 127)) {
                p.add("headers[" + h.getKey() + "]", "'" + h.getKey() + ": " + h.getValue()
                        + "' (expected: a token name and a printable value)");
            }
            if (h.getKey().equalsIgnoreCase("Host")) {
                p.add("headers[" + h.getKey() + "]", "Host (expected: set with hostHeader)");
            }
        }
    }

    private static void validateHttp(HealthCheck.Builder b, Problems p) {
        if (!b.path.startsWith("/") || !b.path.chars().allMatch(HealthCheckValidation::targetChar)) {
            p.add("path", "'" + b.path + "' (expected: a path starting with /, without spaces)");
        }
        validateHostAndHeaders(b, p);
        if (b.httpOnlySet.contains("username") && (b.username.isEmpty() || b.username.indexOf(':') >= 0)) {
            p.add("username", "'" + b.username + "' (expected: non-empty, without ':')");
        }
        for (int i = 0; i < b.statuses.size(); i++) {
            StatusRange r = b.statuses.get(i);
            if (r.from() < 100 || r.to() > 599 || r.from() > r.to()) {
                p.add("expectedStatuses[" + i + "]", r + " (expected: codes in 100..599, from <= to)");
            }
        }
        if (b.bodyPattern.length() > HealthCheck.MAX_BODY_PATTERN
                || b.bodyPattern.chars().anyMatch(c -> c < ' ' && c != '\t')) {
            p.add("bodyPattern", b.bodyPattern + " (expected: at most " + HealthCheck.MAX_BODY_PATTERN
                    + " characters, no control characters)");
        }
        if (b.method == Method.HEAD && b.type == HealthCheck.Type.HTTP_AGENT) {
            p.add("method", "HEAD on an http agent check (expected: GET or POST, the answer is the body)");
        }
        if (b.method == Method.HEAD && !b.bodyPattern.isEmpty()) {
            p.add("bodyPattern", b.bodyPattern + " (expected: none on a HEAD check, which gets no body)");
        }
        if (!b.contentType.isEmpty() && !MEDIA_TYPE.matcher(b.contentType).matches()) {
            p.add("contentType", "'" + b.contentType + "' (expected: a media type such as application/json)");
        }
        if (b.method != Method.POST && !b.requestBody.isEmpty()) {
            p.add("requestBody", "set on a " + b.method + " check (expected: only with POST)");
        }
    }

    private static boolean targetChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || TARGET_CHARS.indexOf(c) >= 0;
    }

    private static boolean validHost(String host) {
        if (!HOST.matcher(host).matches()) {
            return false;
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 || host.endsWith("]") || Integer.parseInt(host.substring(colon + 1)) <= 65535;
    }
}
