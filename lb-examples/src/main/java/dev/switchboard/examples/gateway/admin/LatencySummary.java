package dev.switchboard.examples.gateway.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * The latency percentiles the stats page shows for one real server or one sub-service. Immutable.
 *
 * @param count how many requests the percentiles are over
 * @param p50   the median
 * @param p99   the 99th percentile
 * @param above whether the percentile passed the histogram's last bound (then {@code p99} is that bound: "&gt;")
 */
record LatencySummary(long count, Duration p50, Duration p99, boolean above) {

    LatencySummary {
        Objects.requireNonNull(p50, "p50");
        Objects.requireNonNull(p99, "p99");
    }
}
