package dev.switchboard.engine.internal.lease;

/**
 * The persistence keys of a request that had to wait in the queue, kept so that it is recorded once served.
 * Only queued requests allocate it; the request path passes the same values as arguments.
 *
 * @param cookie the server id of a valid active cookie (with its refresh flag), or 0
 * @param primaryKey the key of the first mode, or {@code Keys.NO_KEY}
 * @param fallbackKey the key of the fallback mode, or {@code Keys.NO_KEY}
 * @param flags {@link EngineForward#SECURE} and friends
 * @param requestCookies the request's Cookie header when the sub-service inserts the active cookie, else null
 */
public record Affinity(long cookie, long primaryKey, long fallbackKey, int flags, String requestCookies) {
}
