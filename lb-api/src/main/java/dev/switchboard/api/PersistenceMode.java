package dev.switchboard.api;

import java.util.Locale;

/** How a client is recognised to keep it on the real server it used before. */
public enum PersistenceMode {
    /** No persistence. */
    NONE,
    /** The client address with a mask (optionally from X-Forwarded-For/Forwarded behind trusted proxies). */
    SOURCE_IP,
    /** The TLS session ID the host reports (weak with TLS 1.3 and session tickets: see {@link Persistence}). */
    SSL_SESSION_ID,
    /** A cookie the engine has the host insert, naming the server, signed (no table). */
    ACTIVE_COOKIE,
    /** The application's own session cookie, learned from its Set-Cookie. */
    SERVER_COOKIE,
    /** The value of a named header. */
    HEADER,
    /** A fingerprint of User-Agent and Authorization. */
    SUPER_HTTP,
    /** A consistent hash of the path (no table). */
    URL_HASH,
    /** A consistent hash of a named query parameter (no table). */
    QUERY_PARAM,
    /** A consistent hash of the host (no table). */
    HOST;

    /** The configuration name, e.g. {@code active-cookie}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a configuration name.
     *
     * @throws IllegalArgumentException naming the value and listing the known names
     */
    public static PersistenceMode parse(String value) {
        for (PersistenceMode m : values()) {
            if (m.configName().equals(value)) {
                return m;
            }
        }
        StringBuilder known = new StringBuilder();
        for (PersistenceMode m : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(m.configName());
        }
        throw new IllegalArgumentException("persistence.mode: " + value + " (expected one of: " + known + ")");
    }

    /** Whether the mode maps keys to servers by consistent hashing, without a table. */
    public boolean isHashed() {
        return this == URL_HASH || this == QUERY_PARAM || this == HOST;
    }

    /** Whether the mode keeps a table of keys to servers. */
    public boolean usesTable() {
        return this == SOURCE_IP || this == SSL_SESSION_ID || this == SERVER_COOKIE || this == HEADER
                || this == SUPER_HTTP;
    }

    /** Whether the mode needs HTTP (a layer-7 virtual service). */
    public boolean needsHttp() {
        return this != NONE && this != SOURCE_IP && this != SSL_SESSION_ID;
    }
}
