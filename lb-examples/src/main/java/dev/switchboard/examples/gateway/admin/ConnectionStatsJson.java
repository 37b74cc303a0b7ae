package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.netty.limit.Admission;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.limit.ProxyProtocolCounters;

/**
 * The connection-limit part of {@code GET /api/stats}: at the top, {@code "gatewayConnections": {"open": N,
 * "cap": N}} ({@code cap} -1 when unlimited); on each virtual service with a bound listener,
 * {@code "clientConnections"} (open now), {@code "maxConnections"}, {@code "maxConnectionsPerClient"},
 * {@code "refusedConnections"} (every refusal) and {@code "refusedConnectionsBy"} ({@code maxConnections},
 * {@code maxConnectionsPerClient}, {@code gatewayMaxConnections}); {@code "requestHeadTimeouts"} and
 * {@code "requestBodyTimeouts"} (slow clients cut); {@code "proxyProtocolRejected"} (connections closed before a
 * PROXY protocol header was accepted, with {@code acceptProxyProtocol}) and {@code "proxyProtocolRejectedBy"}
 * ({@code untrusted}, {@code malformed}, {@code closed}, {@code timeout}). Stateless.
 */
final class ConnectionStatsJson {

    private ConnectionStatsJson() {
    }

    static void gateway(ObjectNode root, ConnectionBudget budget) {
        ObjectNode g = root.putObject("gatewayConnections");
        g.put("open", budget.open());
        g.put("cap", budget.cap() == Integer.MAX_VALUE ? -1 : budget.cap());
    }

    static void virtualService(ObjectNode v, ConnectionLimiter limiter) {
        v.put("clientConnections", limiter.open());
        v.put("maxConnections", limiter.maxConnections());
        v.put("maxConnectionsPerClient", limiter.maxConnectionsPerClient());
        v.put("refusedConnections", limiter.refusedTotal());
        ObjectNode by = v.putObject("refusedConnectionsBy");
        for (Admission why : new Admission[] {Admission.REFUSED_SERVICE, Admission.REFUSED_CLIENT,
                Admission.REFUSED_GATEWAY}) {
            by.put(why.limit(), limiter.refused(why));
        }
        v.put("requestHeadTimeouts", limiter.clientTimeouts().requestHeadTimeouts());
        v.put("requestBodyTimeouts", limiter.clientTimeouts().requestBodyTimeouts());
        ProxyProtocolCounters proxyProtocol = limiter.proxyProtocol();
        v.put("proxyProtocolRejected", proxyProtocol.rejected());
        ObjectNode rejectedBy = v.putObject("proxyProtocolRejectedBy");
        for (ProxyProtocolCounters.Reason why : ProxyProtocolCounters.Reason.values()) {
            rejectedBy.put(why.statsName(), proxyProtocol.rejected(why));
        }
    }
}
