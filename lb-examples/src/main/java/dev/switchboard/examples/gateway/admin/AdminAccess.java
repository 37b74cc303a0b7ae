package dev.switchboard.examples.gateway.admin;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may use the admin API.
 *
 * <ul>
 *   <li>With a token, every request carries {@code Authorization: Bearer TOKEN} (compared in constant time);
 *       only the page itself, {@code GET /}, may carry it as {@code ?token=} instead, since a browser cannot add a
 *       header to the address it opens; the page's script then sends the header.</li>
 *   <li>A browser's cross-site request (an {@code Origin} that is not this server) is refused, so that a web page
 *       cannot drive a loopback admin API through the operator's browser.</li>
 *   <li>Without a token (loopback only), the {@code Host} must name a loopback host: a DNS name that an attacker
 *       re-points at 127.0.0.1 (DNS rebinding) gets no answer.</li>
 * </ul>
 */
final class AdminAccess {

    private final byte[] tokenDigest;
    private final boolean requiresToken;

    AdminAccess(String token) {
        this.requiresToken = !token.isEmpty();
        this.tokenDigest = sha256(token);
    }

    /** The refusal for {@code request}, or empty when it may go on. */
    Optional<AdminResponse> refuse(HttpRequest request) {
        String host = request.headers().get(HttpHeaderNames.HOST, "");
        String origin = request.headers().get(HttpHeaderNames.ORIGIN, "");
        if (!origin.isEmpty() && !origin.equalsIgnoreCase("http://" + host)) {
            return Optional.of(AdminResponse.error(403, "origin: " + origin + " (expected: none, or http://" + host
                    + ": the admin API answers no other site)"));
        }
        if (!requiresToken) {
            if (!host.isEmpty() && !isLoopbackHost(host)) {
                return Optional.of(AdminResponse.error(403, "host: " + host
                        + " (expected: localhost or a loopback address; this admin API has no token)"));
            }
            return Optional.empty();
        }
        if (matches(bearer(request.headers().get(HttpHeaderNames.AUTHORIZATION, ""))) || matches(pageToken(request))) {
            return Optional.empty();
        }
        return Optional.of(AdminResponse.error(401, "authorization: missing or wrong (expected: Bearer TOKEN)")
                .withHeader("WWW-Authenticate", "Bearer realm=\"switchboard-admin\""));
    }

    private boolean matches(Optional<String> candidate) {
        // digests of equal length: the comparison time tells nothing about the token, not even its length
        return candidate.isPresent() && MessageDigest.isEqual(tokenDigest, sha256(candidate.get()));
    }

    private static Optional<String> bearer(String authorization) {
        if (authorization.length() > 7 && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.of(authorization.substring(7).strip());
        }
        return Optional.empty();
    }

    private static Optional<String> pageToken(HttpRequest request) {
        if (!request.method().name().equals("GET")) {
            return Optional.empty();
        }
        try {
            QueryStringDecoder q = new QueryStringDecoder(request.uri());
            List<String> tokens = q.parameters().get("token");
            return q.rawPath().equals("/") && tokens != null && tokens.size() == 1
                    ? Optional.of(tokens.get(0)) : Optional.empty();
        } catch (IllegalArgumentException e) { // a bad escape: no token
            return Optional.empty();
        }
    }

    static boolean isLoopbackHost(String hostHeader) {
        String host = hostHeader;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            host = close < 0 ? host : host.substring(1, close);
        } else if (host.indexOf(':') == host.lastIndexOf(':') && host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        try {
            return literal != null && InetAddress.getByAddress(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
