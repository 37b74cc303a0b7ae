package dev.switchboard.micrometer;

import java.util.Objects;

/**
 * The two latency histograms of one real server in one sub-service at one moment: {@code total} from the request's
 * start to the lease's release, {@code firstByte} from the start to the first byte of the server's response (leases
 * that got one). From {@link SwitchboardMetrics#latencies()}.
 *
 * <pre>{@code
 * for (ServerLatency s : metrics.latencies()) {
 *     page.row(s.realServer(), s.total().percentile(0.5), s.total().percentile(0.99));
 * }
 * }</pre>
 *
 * <p>Immutable.
 *
 * @throws NullPointerException for a null component
 */
public record ServerLatency(String virtualService, String subService, String realServer, LatencySnapshot total,
        LatencySnapshot firstByte) {

    public ServerLatency {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(realServer, "realServer");
        Objects.requireNonNull(total, "total");
        Objects.requireNonNull(firstByte, "firstByte");
    }
}
