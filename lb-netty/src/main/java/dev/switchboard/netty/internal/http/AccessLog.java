package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Outcome;
import dev.switchboard.api.Target;
import dev.switchboard.api.TrustedProxies;
import dev.switchboard.netty.settings.AccessLogFormat;
import java.net.InetAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line per request on the logger {@code switchboard.access}, as the listener's
 * {@link AccessLogFormat} says. Text:
 * {@code mail owa ex01 127.0.0.1:9001 client=192.0.2.7 "GET /owa/" 200 12.3ms in=0 out=5120}, with the failure
 * kind appended when the exchange with the real server failed; {@code -} where no server was involved. JSON: the
 * same fields as one object, plus the time and the time to first byte (see {@link AccessLogJson}). The client
 * is the address that {@link TrustedProxies} finds (the TCP peer, or behind a trusted proxy the right-most
 * forwarded hop that is not one), {@code -} when a trusted proxy's forwarded headers cannot say. A connection cut
 * before its request head was in logs {@code "- -"} for the request and the TCP peer as the client. Stateless.
 */
final class AccessLog {

    static final Logger LOG = LoggerFactory.getLogger("switchboard.access");

    private AccessLog() {
    }

    static void forwarded(ProxyRequest r, Target t, int status, Outcome.Failure failure, long in, long out) {
        if (!r.accessLogEnabled() || !LOG.isInfoEnabled()) {
            return;
        }
        long total = System.nanoTime() - r.startNanos();
        if (r.settings().accessLogFormat() == AccessLogFormat.JSON) {
            LOG.info(AccessLogJson.forwarded(r, t, status, failure, in, out, total));
            return;
        }
        LOG.info("{} {} {} {} client={} \"{} {}{}\" {} {}ms in={} out={}{}", t.virtualService(), t.subService(),
                t.server(), t.address(), client(r), r.view().method(), r.head().uri(), h2(r), status, millis(total), in,
                out, failure == Outcome.Failure.NONE ? "" : " " + failure);
    }

    static void local(ProxyRequest r, String virtualService, int status) {
        if (!r.accessLogEnabled() || !LOG.isInfoEnabled()) {
            return;
        }
        long total = System.nanoTime() - r.startNanos();
        if (r.settings().accessLogFormat() == AccessLogFormat.JSON) {
            LOG.info(AccessLogJson.local(r, virtualService, status, total));
            return;
        }
        LOG.info("{} - - - client={} \"{} {}{}\" {} {}ms in=0 out=0", virtualService, client(r),
                r.view().method(), r.head().uri(), h2(r), status, millis(total));
    }

    /** A connection refused before a request head was read in full ({@code elapsedNanos} since its clock began). */
    static void headTimeout(ProxyContext context, String peer, int status, long elapsedNanos) {
        if (!context.settings().accessLog() || !LOG.isInfoEnabled()) {
            return;
        }
        if (context.settings().accessLogFormat() == AccessLogFormat.JSON) {
            LOG.info(AccessLogJson.headTimeout(context.settings().virtualService(), peer, status, elapsedNanos));
            return;
        }
        LOG.info("{} - - - client={} \"- -\" {} {}ms in=0 out=0", context.settings().virtualService(), peer, status,
                millis(elapsedNanos));
    }

    /** {@code " HTTP/2.0"} after the request of an HTTP/2 stream; nothing for HTTP/1 (lines as they always were). */
    private static String h2(ProxyRequest r) {
        return r.overHttp2() ? " HTTP/2.0" : "";
    }

    static String client(ProxyRequest r) {
        InetAddress client = r.client();
        return client == null ? "-" : client.getHostAddress();
    }

    private static String millis(long nanos) {
        long micros = nanos / 1000;
        return micros / 1000 + "." + micros % 1000 / 100;
    }
}
