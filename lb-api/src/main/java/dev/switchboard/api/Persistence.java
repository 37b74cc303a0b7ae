package dev.switchboard.api;

import dev.switchboard.api.spi.PersistenceStoreFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a sub-service keeps clients on their real server: a {@link PersistenceMode}, an idle timeout, an optional
 * fallback mode used when the request carries no key for the first (e.g. {@code active-cookie} or
 * {@code source-ip}), and the options of the modes. Immutable; build with {@link #builder(PersistenceMode)}.
 *
 * <pre>{@code
 * Persistence.builder(PersistenceMode.ACTIVE_COOKIE).timeout(Duration.ofMinutes(45))
 *     .fallback(PersistenceMode.SOURCE_IP).sourceIpMask(24).build()
 * }</pre>
 *
 * <p>Keys are read from the request as the virtual service's request rules left it (a rewritten path for
 * {@code url-hash}, a header a rule set or removed for {@code header}), never after the sub-service's own request
 * rules, which run once the server is chosen; see {@link dev.switchboard.api.spi.PersistenceStore}.
 *
 * <p>On {@code ssl-session-id}: TLS 1.3 has no session ID of its own (clients send a random legacy one per
 * connection), and TLS 1.2 clients that resume with session tickets may keep changing it; so this mode keeps a
 * client only as long as it resumes one TLS 1.2 session by ID. For HTTPS that the host terminates prefer
 * {@code active-cookie}; for TLS passed through, {@code source-ip} (with a mask) is the sturdier choice, with
 * {@code ssl-session-id} as the first mode and {@code source-ip} as its fallback at best.
 */
public final class Persistence {

    /** Default idle timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    /** Default bound of a persistence table. */
    public static final int DEFAULT_MAX_ENTRIES = 100_000;
    /** Default name of the active cookie. */
    public static final String DEFAULT_COOKIE_NAME = "SBSRV";
    /** No persistence. */
    public static final Persistence NONE = builder(PersistenceMode.NONE).build();

    private final PersistenceMode mode;
    private final PersistenceMode fallback;
    private final Duration timeout;
    private final int sourceIpMask;
    private final int sourceIpMaskV6;
    private final List<Cidr> trustedProxies;
    private final String cookieName;
    private final String cookiePath;
    private final boolean cookieHttpOnly;
    private final String cookieSameSite;
    private final boolean cookieSession;
    private final String cookieSecret;
    private final String header;
    private final String param;
    private final boolean shared;
    private final int maxEntries;
    private final PersistenceStoreFactory store;

    private Persistence(Builder b) {
        this.mode = b.mode;
        this.fallback = b.fallback;
        this.timeout = b.timeout;
        this.sourceIpMask = b.sourceIpMask;
        this.sourceIpMaskV6 = b.sourceIpMaskV6;
        this.trustedProxies = List.copyOf(b.trustedProxies);
        this.cookieName = b.cookieName;
        this.cookiePath = b.cookiePath;
        this.cookieHttpOnly = b.cookieHttpOnly;
        this.cookieSameSite = b.cookieSameSite;
        this.cookieSession = b.cookieSession;
        this.cookieSecret = b.cookieSecret;
        this.header = b.header;
        this.param = b.param;
        this.shared = b.shared;
        this.maxEntries = b.maxEntries;
        this.store = b.store;
    }

    /** A builder for {@code mode}. */
    public static Builder builder(PersistenceMode mode) {
        return new Builder(mode);
    }

    /** {@code mode} with the defaults. */
    public static Persistence of(PersistenceMode mode) {
        return builder(mode).build();
    }

    public PersistenceMode mode() {
        return mode;
    }

    /** The mode used when the request has no key for {@link #mode()}; {@link PersistenceMode#NONE} if none. */
    public PersistenceMode fallback() {
        return fallback;
    }

    /** The idle timeout: a client not seen for this long is scheduled afresh. */
    public Duration timeout() {
        return timeout;
    }

    /** The IPv4 prefix length of source-ip keys, 0..32 (default 32). */
    public int sourceIpMask() {
        return sourceIpMask;
    }

    /** The IPv6 prefix length of source-ip keys, 0..128 (default 64: one client network). */
    public int sourceIpMaskV6() {
        return sourceIpMaskV6;
    }

    /**
     * Peers whose X-Forwarded-For/Forwarded are believed for source-ip keys only. Empty (the default): persistence
     * uses the client address the virtual service resolved with {@link VirtualService#trustedProxies()} (the TCP
     * peer when that is empty too). When set, this list takes precedence for persistence, while content rules and
     * source-IP hashing keep the virtual service's.
     */
    public List<Cidr> trustedProxies() {
        return trustedProxies;
    }

    /**
     * The cookie: the inserted one (active-cookie) or the application's (server-cookie), always exactly this name
     * on the wire. Sub-services that keep separate pins under one active cookie name (an inherited, non-shared
     * persistence of a virtual service with several sub-services) carry one signed entry each in the cookie's
     * value (at most 8, the least recently issued dropped first); a learned server cookie is kept in each
     * sub-service's own table.
     */
    public String cookieName() {
        return cookieName;
    }

    public String cookiePath() {
        return cookiePath;
    }

    public boolean cookieHttpOnly() {
        return cookieHttpOnly;
    }

    /** {@code Strict}, {@code Lax}, {@code None}, or empty for no SameSite attribute. */
    public String cookieSameSite() {
        return cookieSameSite;
    }

    /** Whether the active cookie is a session cookie (no Max-Age); its value still expires after the timeout. */
    public boolean cookieSession() {
        return cookieSession;
    }

    /**
     * The secret that signs active cookies; gateways that share it accept each other's cookies. Empty: the engine
     * generates one at start (cookies then do not survive a restart; clients are scheduled afresh, silently).
     */
    public String cookieSecret() {
        return cookieSecret;
    }

    /** The header of {@link PersistenceMode#HEADER}. */
    public String header() {
        return header;
    }

    /** The query parameter of {@link PersistenceMode#QUERY_PARAM}. */
    public String param() {
        return param;
    }

    /** On a virtual service: whether its sub-services share one table (a client keeps its server name across them). */
    public boolean shared() {
        return shared;
    }

    /** The most entries of one table. */
    public int maxEntries() {
        return maxEntries;
    }

    /** A custom store; the engine's default (a purpose-built table) when absent. */
    public Optional<PersistenceStoreFactory> findStore() {
        return Optional.ofNullable(store);
    }

    void validate(String path, Protocol protocol, Problems problems) {
        if (mode == PersistenceMode.NONE) {
            return;
        }
        PersistenceChecks.validate(this, path, protocol, problems);
    }

    /**
     * Equal when every setting is equal (a custom store factory by identity): the engine skips a reconfiguration whose
     * model equals the one in force.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Persistence other)) {
            return false;
        }
        return Objects.equals(mode, other.mode)
                && Objects.equals(fallback, other.fallback)
                && Objects.equals(timeout, other.timeout)
                && sourceIpMask == other.sourceIpMask
                && sourceIpMaskV6 == other.sourceIpMaskV6
                && trustedProxies.equals(other.trustedProxies)
                && Objects.equals(cookieName, other.cookieName)
                && Objects.equals(cookiePath, other.cookiePath)
                && cookieHttpOnly == other.cookieHttpOnly
                && Objects.equals(cookieSameSite, other.cookieSameSite)
                && cookieSession == other.cookieSession
                && Objects.equals(cookieSecret, other.cookieSecret)
                && Objects.equals(header, other.header)
                && Objects.equals(param, other.param)
                && shared == other.shared
                && maxEntries == other.maxEntries
                && Objects.equals(store, other.store);
    }

    @Override
    public int hashCode() {
        return Objects.hash(mode, fallback, timeout, sourceIpMask, sourceIpMaskV6, trustedProxies, cookieName,
                cookiePath, cookieHttpOnly, cookieSameSite, cookieSession, cookieSecret, header, param, shared,
                maxEntries, store);
    }

    @Override
    public String toString() {
        return mode.configName() + (fallback == PersistenceMode.NONE ? "" : " or " + fallback.configName())
                + " (" + timeout + ")";
    }

    /** Builds a {@link Persistence}. Not thread-safe. */
    public static final class Builder {
        private final PersistenceMode mode;
        private PersistenceMode fallback = PersistenceMode.NONE;
        private Duration timeout = DEFAULT_TIMEOUT;
        private int sourceIpMask = 32;
        private int sourceIpMaskV6 = 64;
        private final List<Cidr> trustedProxies = new ArrayList<>();
        private String cookieName = DEFAULT_COOKIE_NAME;
        private String cookiePath = "/";
        private boolean cookieHttpOnly = true;
        private String cookieSameSite = "Lax";
        private boolean cookieSession;
        private String cookieSecret = "";
        private String header = "";
        private String param = "";
        private boolean shared;
        private int maxEntries = DEFAULT_MAX_ENTRIES;
        private PersistenceStoreFactory store;

        private Builder(PersistenceMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
        }

        public Builder fallback(PersistenceMode fallback) {
            this.fallback = Objects.requireNonNull(fallback, "fallback");
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** The IPv4 prefix length of source-ip keys (e.g. 24: a /24 shares a server). */
        public Builder sourceIpMask(int prefixLength) {
            this.sourceIpMask = prefixLength;
            return this;
        }

        public Builder sourceIpMaskV6(int prefixLength) {
            this.sourceIpMaskV6 = prefixLength;
            return this;
        }

        /**
         * A proxy whose X-Forwarded-For/Forwarded is believed (the right-most address not in this list is taken).
         *
         * @throws IllegalArgumentException when {@code cidr} is not a CIDR block
         */
        public Builder trustedProxy(String cidr) {
            trustedProxies.add(Cidr.parse(cidr));
            return this;
        }

        public Builder cookieName(String name) {
            this.cookieName = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder cookiePath(String path) {
            this.cookiePath = Objects.requireNonNull(path, "path");
            return this;
        }

        public Builder cookieHttpOnly(boolean httpOnly) {
            this.cookieHttpOnly = httpOnly;
            return this;
        }

        public Builder cookieSameSite(String sameSite) {
            this.cookieSameSite = Objects.requireNonNull(sameSite, "sameSite");
            return this;
        }

        public Builder cookieSession(boolean session) {
            this.cookieSession = session;
            return this;
        }

        /** The signing secret of active cookies, at least 16 characters. */
        public Builder cookieSecret(String secret) {
            this.cookieSecret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        public Builder header(String name) {
            this.header = Objects.requireNonNull(name, "name");
            return this;
        }

        public Builder param(String name) {
            this.param = Objects.requireNonNull(name, "name");
            return this;
        }

        /** Shares one table across the sub-services of the virtual service this is set on. */
        public Builder shared(boolean shared) {
            this.shared = shared;
            return this;
        }

        public Builder maxEntries(int maxEntries) {
            this.maxEntries = maxEntries;
            return this;
        }

        public Builder store(PersistenceStoreFactory store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Persistence build() {
            return new Persistence(this);
        }
    }
}
