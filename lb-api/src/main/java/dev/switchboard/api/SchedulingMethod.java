package dev.switchboard.api;

import java.util.Locale;

/** The built-in schedulers. Custom ones plug in through {@link dev.switchboard.api.spi.SchedulerFactory}. */
public enum SchedulingMethod {
    ROUND_ROBIN,
    /** Smooth weighted round robin: interleaved, no bursts to the heaviest server. */
    WEIGHTED_ROUND_ROBIN,
    /**
     * The eligible server with the fewest active connections, weights ignored; ties go round robin. Exact in a
     * pool of up to 64 servers; in a larger one a pick compares 16 eligible servers (a window whose start walks
     * the pool), so that it costs the same among 4,096 servers as among 16.
     */
    LEAST_CONNECTION,
    /**
     * The eligible server with the fewest active connections per unit of weight. Exact in a pool of up to 64
     * servers; in a larger one a pick compares 16 eligible servers of weight above 0, as {@link #LEAST_CONNECTION}.
     */
    WEIGHTED_LEAST_CONNECTION,
    /** The eligible server with the highest weight takes everything; the next one when it fails. */
    FIXED_WEIGHTING,
    /** Consistent (rendezvous) hash of the client address: removing one of N servers moves about 1/N of clients. */
    SOURCE_IP_HASH,
    /** Weighted random. */
    RANDOM,
    /** Power of two random choices, the one with fewer connections per weight wins. */
    LEAST_LOADED;

    /** The configuration name, e.g. {@code weighted-least-connection}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a configuration name.
     *
     * @throws IllegalArgumentException naming the value and listing the known names
     */
    public static SchedulingMethod parse(String value) {
        for (SchedulingMethod m : values()) {
            if (m.configName().equals(value)) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (SchedulingMethod m : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(m.configName());
        }
        throw new IllegalArgumentException("scheduling: " + value + " (expected one of: " + known + ")");
    }
}
