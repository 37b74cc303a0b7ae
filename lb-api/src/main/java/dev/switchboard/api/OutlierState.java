package dev.switchboard.api;

import java.util.Locale;

/**
 * What passive outlier detection says of one real server in one sub-service, independent of its active health
 * verdict and of its admin state.
 *
 * <ul>
 *   <li>{@link #NORMAL}: not ejected; the server takes traffic as its health and admin state allow;</li>
 *   <li>{@link #EJECTED}: too many real requests failed; the server takes no traffic in this sub-service until its
 *       ejection time ends, whatever its active checks say;</li>
 *   <li>{@link #HALF_OPEN}: the ejection time has ended; the server takes at most
 *       {@link OutlierDetection#halfOpenCalls()} requests at once until they decide: success returns it to
 *       {@code NORMAL}, a failure ejects it again for longer.</li>
 * </ul>
 */
public enum OutlierState {
    NORMAL,
    EJECTED,
    HALF_OPEN;

    /** The name in stats, events and logs: {@code normal}, {@code ejected}, {@code half-open}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
