package dev.switchboard.api;

import java.util.Locale;

/**
 * The operator's wish for a real server, independent of its health.
 *
 * <ul>
 *   <li>{@link #ENABLED}: takes new and persistent clients;</li>
 *   <li>{@link #DRAINING}: takes no new clients; clients that persistence keeps on it are still served;</li>
 *   <li>{@link #DISABLED}: takes nothing (maintenance).</li>
 * </ul>
 */
public enum AdminState {
    ENABLED,
    DRAINING,
    DISABLED;

    /** The configuration name, e.g. {@code draining}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a configuration name ({@code enabled}, {@code draining}, {@code disabled}, any case).
     *
     * @throws IllegalArgumentException naming the value when it is none of these
     */
    public static AdminState parse(String value) {
        for (AdminState s : values()) {
            if (s.configName().equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("state: " + value + " (expected: enabled, draining, disabled)");
    }
}
