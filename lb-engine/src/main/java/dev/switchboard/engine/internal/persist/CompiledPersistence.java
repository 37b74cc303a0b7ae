package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.TrustedProxies;
import dev.switchboard.api.spi.PersistenceStore;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The persistence of one sub-service, compiled: its modes, stores (shared or its own), the active-cookie codec,
 * and how each mode finds its key in a request. Keys are 64-bit ({@link Keys}); {@link Keys#NO_KEY} when the
 * request carries none. Immutable (the stores are thread-safe); thread-safe.
 *
 * <p>The client address of source-ip (as first mode or as fallback) is the one the virtual service resolved
 * with its {@link dev.switchboard.api.VirtualService#trustedProxies()}; when this persistence lists trusted proxies
 * of its own ({@link Persistence#trustedProxies()}), they take precedence for persistence only. An unresolvable
 * client (a trusted proxy's forwarded headers that cannot be parsed) has no source-ip key.
 */
public final class CompiledPersistence {

    /** No persistence. */
    public static final CompiledPersistence NONE = new CompiledPersistence();

    private final PersistenceMode mode;
    private final PersistenceMode fallback;
    private final PersistenceStore primaryStore;
    private final PersistenceStore fallbackStore;
    private final ActiveCookie cookie;
    private final TrustedProxies ownProxies;
    private final WallClock clock;
    private final int mask4;
    private final int mask6;
    private final String cookieName;
    private final String cookieNameEquals;
    private final String header;
    private final String param;

    private CompiledPersistence() {
        this.mode = PersistenceMode.NONE;
        this.fallback = PersistenceMode.NONE;
        this.primaryStore = null;
        this.fallbackStore = null;
        this.cookie = null;
        this.ownProxies = TrustedProxies.NONE;
        this.clock = null;
        this.mask4 = 32;
        this.mask6 = 128;
        this.cookieName = "";
        this.cookieNameEquals = "=";
        this.header = "";
        this.param = "";
    }

    /**
     * @param primaryStore the table of {@code p.mode()}, or null when it keeps none
     * @param fallbackStore the table of {@code p.fallback()}, or null
     * @param mac the active-cookie signer, or null unless the mode is active-cookie
     */
    CompiledPersistence(Persistence p, String cookieName, PersistenceStore primaryStore, PersistenceStore fallbackStore,
            SipHash mac, WallClock clock) {
        this.mode = p.mode();
        this.fallback = p.fallback();
        this.primaryStore = primaryStore;
        this.fallbackStore = fallbackStore;
        this.cookie = mac == null ? null : new ActiveCookie(mac, p, cookieName);
        this.ownProxies = TrustedProxies.of(p.trustedProxies());
        this.clock = clock;
        this.mask4 = p.sourceIpMask();
        this.mask6 = p.sourceIpMaskV6();
        this.cookieName = cookieName;
        this.cookieNameEquals = cookieName + "=";
        this.header = p.header().toLowerCase(Locale.ROOT);
        this.param = p.param();
    }

    public boolean enabled() {
        return mode != PersistenceMode.NONE;
    }

    public PersistenceMode mode() {
        return mode;
    }

    public PersistenceMode fallback() {
        return fallback;
    }

    /** The table of the first mode, or null. */
    public PersistenceStore primaryStore() {
        return primaryStore;
    }

    /** The table of the fallback mode, or null. */
    public PersistenceStore fallbackStore() {
        return fallbackStore;
    }

    /**
     * The server id named by this sub-service's valid entry of the active cookie in {@code cookieHeader} (the
     * request's Cookie header, or null), with {@link ActiveCookie#REFRESH} when it should be re-issued, or 0.
     */
    public long cookieServer(String cookieHeader) {
        return cookie == null ? 0 : cookie.decode(cookieHeader, clock.seconds());
    }

    /**
     * The key of {@code m} in an HTTP request, or {@link Keys#NO_KEY}.
     *
     * @param request the request as the virtual service's request rules (both phases) left it: its headers with their
     *                edits; never the sub-service's own rules, which run after the server is chosen
     * @param client the client address the virtual service resolved, or null when it could not
     * @param path the normalized path after those rules (url-hash)
     * @param host the normalized host after those rules (host)
     */
    public long key(PersistenceMode m, RequestView request, InetAddress client, String path, String host) {
        return switch (m) {
            case SOURCE_IP -> {
                InetAddress c = ownProxies.isEmpty() ? client : ownProxies.clientAddress(request);
                yield c == null ? Keys.NO_KEY : Keys.address(c, mask4, mask6);
            }
            case SSL_SESSION_ID -> sessionKey(request.tlsSessionId());
            case SERVER_COOKIE -> {
                String h = request.header("cookie");
                long b = Cookies.find(h, cookieNameEquals);
                yield b < 0 ? Keys.NO_KEY : Keys.hash(h, (int) (b >>> 32), (int) b);
            }
            case HEADER -> valueKey(request.header(header));
            case SUPER_HTTP -> {
                String ua = request.header("user-agent");
                String auth = request.header("authorization");
                yield ua == null && auth == null ? Keys.NO_KEY
                        : Keys.combine(ua == null ? 0 : Keys.hash(ua), auth == null ? 0 : Keys.hash(auth));
            }
            case URL_HASH -> Keys.hash(path);
            case QUERY_PARAM -> queryKey(request.query());
            case HOST -> host.isEmpty() ? Keys.NO_KEY : Keys.hash(host);
            case NONE, ACTIVE_COOKIE -> Keys.NO_KEY;
        };
    }

    /** The key of {@code m} for a layer-4 connection (source-ip and ssl-session-id only). */
    public long key(PersistenceMode m, ConnectionView connection) {
        return switch (m) {
            case SOURCE_IP -> Keys.address(connection.sourceAddress(), mask4, mask6);
            case SSL_SESSION_ID -> sessionKey(connection.tlsSessionId());
            default -> Keys.NO_KEY;
        };
    }

    private static long sessionKey(String sessionId) {
        return sessionId.isEmpty() || sessionId.length() > 64 ? Keys.NO_KEY : Keys.hash(sessionId);
    }

    private static long valueKey(String value) {
        return value == null || value.isEmpty() || value.length() > Cookies.MAX_HEADER ? Keys.NO_KEY
                : Keys.hash(value);
    }

    private long queryKey(String query) {
        int length = query.length();
        int i = 0;
        while (i < length) {
            int end = query.indexOf('&', i);
            if (end < 0) {
                end = length;
            }
            int eq = i + param.length();
            if (eq < end && query.charAt(eq) == '=' && query.startsWith(param, i)) {
                return eq + 1 == end ? Keys.NO_KEY : Keys.hash(query, eq + 1, end);
            }
            i = end + 1;
        }
        return Keys.NO_KEY;
    }

    /**
     * The Set-Cookie edit naming {@code serverId}, for active-cookie; keeps the other owners' entries of
     * {@code requestCookies} (the request's Cookie header, or null).
     */
    public HeaderEdit setCookie(long serverId, boolean secure, String requestCookies) {
        return cookie.setCookie(serverId, secure, clock.seconds(), requestCookies);
    }

    /** Whether the first mode is active-cookie. */
    public boolean insertsCookie() {
        return cookie != null;
    }

    /** ssl-session-id: maps a session the server chose (from its ServerHello) to {@code serverId}. */
    public void learnTlsSession(String sessionId, long serverId) {
        long key = sessionId == null ? Keys.NO_KEY : sessionKey(sessionId);
        if (key == Keys.NO_KEY) {
            return;
        }
        if (mode == PersistenceMode.SSL_SESSION_ID && primaryStore != null) {
            primaryStore.put(key, serverId);
        } else if (fallback == PersistenceMode.SSL_SESSION_ID && fallbackStore != null) {
            fallbackStore.put(key, serverId);
        }
    }

    /** Server-cookie: learns the application's cookie from the response, mapping its value to {@code serverId}. */
    public void learn(ResponseView response, long serverId) {
        if (mode != PersistenceMode.SERVER_COOKIE || primaryStore == null) {
            return;
        }
        String value = Cookies.findSet(response.headers("set-cookie"), cookieName);
        if (value != null) {
            primaryStore.put(Keys.hash(value), serverId);
        }
    }
}
