package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.Target;
import dev.switchboard.netty.internal.log.JsonLine;

/**
 * The JSON lines of the access log: one object per request with, in this order, {@code time} (ISO-8601, UTC, when
 * the line is written), {@code virtualService}, {@code subService}, {@code realServer}, {@code address} (the real
 * server's), {@code client}, {@code method}, {@code uri}, {@code protocol}
 * ({@code HTTP/1.1}, {@code HTTP/1.0}, {@code HTTP/2.0}), {@code status}, {@code totalMs}, {@code ttfbMs},
 * {@code bytesIn}, {@code bytesOut} and {@code failure} (the exchange's failure kind). What does not apply is
 * {@code null}: the server fields of an answer from the gateway itself, the request of a connection cut before its
 * head, the time to first byte of an exchange that got no response head, the failure of one that did not fail.
 * {@code ttfbMs} runs from the request head's arrival to the real server's response head (for the gateway's own
 * answers, to the answer), {@code totalMs} to the end; so {@code ttfbMs <= totalMs}. Stateless.
 */
final class AccessLogJson {

    private AccessLogJson() {
    }

    static String forwarded(ProxyRequest r, Target t, int status, Outcome.Failure failure, long in, long out,
            long totalNanos) {
        long firstByte = r.firstByteNanos();
        long ttfb = firstByte == 0 ? -1 : Math.min(totalNanos, firstByte - r.startNanos());
        return line(t.virtualService(), t.subService(), t.server(), t.address().toString(), AccessLog.client(r),
                r.view().method(), r.head().uri(), r.protocol(), status, totalNanos, ttfb, in, out,
                failure == Outcome.Failure.NONE ? null : failure.toString());
    }

    static String local(ProxyRequest r, String virtualService, int status, long totalNanos) {
        return line(virtualService, null, null, null, AccessLog.client(r), r.view().method(), r.head().uri(),
                r.protocol(), status, totalNanos, totalNanos, 0, 0, null);
    }

    static String headTimeout(String virtualService, String peer, int status, long totalNanos) {
        return line(virtualService, null, null, null, peer, null, null, null, status, totalNanos, totalNanos, 0, 0,
                null);
    }

    private static String line(String virtualService, String subService, String server, String address,
            String client, String method, String uri, String protocol, int status, long totalNanos, long ttfbNanos,
            long in, long out, String failure) {
        return JsonLine.startingNow().string("virtualService", virtualService).string("subService", subService)
                .string("realServer", server).string("address", address).string("client", client)
                .string("method", method).string("uri", uri).string("protocol", protocol)
                .number("status", status)
                .millis("totalMs", totalNanos).millis("ttfbMs", ttfbNanos).number("bytesIn", in)
                .number("bytesOut", out).string("failure", failure).toString();
    }
}
