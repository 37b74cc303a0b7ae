package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import okhttp3.HttpUrl;

/**
 * The plain-HTTP/1.1 request a probe writes on the {@link TcpProbe} loop, as bytes: made once per target, written by
 * every {@link HttpExchange} of it. Stateless.
 */
final class ProbeRequest {

    private ProbeRequest() {
    }

    /**
     * The request of every probe of {@code check} against {@code address}; without a {@code Connection} header when
     * the check reuses its connection, else with {@code Connection: close}.
     *
     * @throws IllegalArgumentException on a request that cannot be made (not Latin-1)
     */
    static byte[] bytes(Address address, HealthCheck check) {
        HttpUrl url = HttpUrl.get("http://localhost" + check.path());
        StringBuilder s = new StringBuilder(256);
        s.append(check.method().name()).append(' ').append(url.encodedPath());
        if (url.encodedQuery() != null) {
            s.append('?').append(url.encodedQuery());
        }
        s.append(" HTTP/1.1\r\nHost: ");
        if (!check.hostHeader().isEmpty()) {
            s.append(check.hostHeader());
        } else {
            s.append(address.host().indexOf(':') >= 0 ? "[" + address.host() + "]" : address.host());
            if (address.port() != 80) {
                s.append(':').append(address.port());
            }
        }
        s.append("\r\n");
        boolean userAgent = false;
        for (Map.Entry<String, String> h : check.headers().entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("Connection") || name.equalsIgnoreCase("Content-Length")
                    || name.equalsIgnoreCase("Transfer-Encoding")) {
                continue; // the probe's own
            }
            userAgent |= name.equalsIgnoreCase("User-Agent");
            s.append(name).append(": ").append(h.getValue()).append("\r\n");
        }
        if (!userAgent) {
            s.append("User-Agent: switchboard-health\r\n");
        }
        if (!check.username().isEmpty()) {
            String pair = check.username() + ":" + check.password();
            s.append("Authorization: Basic ")
                    .append(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))).append("\r\n");
        }
        byte[] body = null;
        if (check.method() == HealthCheck.Method.POST) {
            body = check.requestBody().getBytes(StandardCharsets.UTF_8);
            if (!check.contentType().isEmpty()) {
                s.append("Content-Type: ").append(check.contentType()).append("\r\n");
            }
            s.append("Content-Length: ").append(body.length).append("\r\n");
        }
        s.append(check.reuseConnection() ? "\r\n" : "Connection: close\r\n\r\n");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xff) {
                throw new IllegalArgumentException("not a Latin-1 character in the request head: " + c);
            }
        }
        byte[] headBytes = s.toString().getBytes(StandardCharsets.ISO_8859_1);
        if (body == null || body.length == 0) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }
}
