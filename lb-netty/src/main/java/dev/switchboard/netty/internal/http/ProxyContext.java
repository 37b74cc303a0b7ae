package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.limit.ClientTimeoutCounters;

import dev.switchboard.api.Protocol;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.auth.PreAuthentication;
import dev.switchboard.netty.settings.ListenerSettings;
import dev.switchboard.netty.limit.ConnectionBudget;
import dev.switchboard.netty.limit.ConnectionLimiter;
import dev.switchboard.netty.internal.upstream.UpstreamPool;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.Objects;

/**
 * What every connection of one HTTP(S) listener shares: the engine, the listener's settings, the upstream pool,
 * and whether the listener is closing. The settings are swapped by {@link #update} on reload (one volatile
 * reference: read it where a connection or request starts and the new values apply from the next one); the closing
 * flag is volatile; everything else is fixed. Thread-safe.
 *
 * <pre>{@code
 * ProxyContext context = ProxyContext.of(engine, settings, pool);
 * bootstrap.childHandler(new ClientInitializer(context, serverTls, clients));
 * }</pre>
 */
public final class ProxyContext {

    private final DispatchEngine engine;
    private volatile ListenerSettings settings;
    private final UpstreamPool pool;
    private final String scheme;
    private final ConnectionLimiter limiter;
    private volatile boolean closing;
    private volatile HostRouting routing = HostRouting.SINGLE;
    private volatile PreAuthentication preAuthentication;

    private ProxyContext(DispatchEngine engine, ListenerSettings settings, UpstreamPool pool,
            ConnectionLimiter limiter) {
        this.engine = Objects.requireNonNull(engine, "engine");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.pool = Objects.requireNonNull(pool, "pool");
        this.scheme = settings.protocol() == Protocol.HTTPS ? "https" : "http";
        this.limiter = Objects.requireNonNull(limiter, "limiter");
    }

    /** The context of one listener, with its connection limits under no gateway-wide cap. */
    public static ProxyContext of(DispatchEngine engine, ListenerSettings settings, UpstreamPool pool) {
        return of(engine, settings, pool, ConnectionBudget.unlimited().limiter(settings));
    }

    /** The context of one listener whose connections {@code limiter} admits. */
    public static ProxyContext of(DispatchEngine engine, ListenerSettings settings, UpstreamPool pool,
            ConnectionLimiter limiter) {
        return new ProxyContext(engine, settings, pool, limiter);
    }

    /** The listener's connection limits. */
    public ConnectionLimiter limiter() {
        return limiter;
    }

    public DispatchEngine engine() {
        return engine;
    }

    public ListenerSettings settings() {
        return settings;
    }

    /**
     * Makes {@code next} the settings of new connections and requests (reload). Same virtual service, address and
     * protocol; the pool keeps the settings it was made with.
     *
     * @throws IllegalArgumentException if {@code next} is for another virtual service or protocol
     */
    public void update(ListenerSettings next) {
        ListenerSettings current = settings;
        if (!next.virtualService().equals(current.virtualService()) || next.protocol() != current.protocol()) {
            throw new IllegalArgumentException("settings: " + next + " (expected: " + current.virtualService() + " "
                    + current.protocol().configName() + ")");
        }
        settings = next;
        limiter.update(next); // connection limits of a kept listener change in place
    }

    public UpstreamPool pool() {
        return pool;
    }

    /** {@code http} or {@code https}: how clients speak to this listener. */
    public String scheme() {
        return scheme;
    }

    /** Slow clients cut on this virtual service (kept by its limiter, so a rebind keeps the counts). */
    public ClientTimeoutCounters clientTimeouts() {
        return limiter.clientTimeouts();
    }

    /**
     * How requests on connections this context accepted choose their virtual service by {@code Host}; set by a
     * listener that serves several virtual services on one address, before it accepts.
     */
    public void routeBy(HostRouting next) {
        routing = Objects.requireNonNull(next, "routing");
    }

    /** The context that serves {@code head} on a connection of this one, or null: 421. */
    ProxyContext route(HttpRequest head) {
        HostRouting r = routing;
        if (r == HostRouting.SINGLE) { // one virtual service on the address: no header lookup
            return this;
        }
        String host = head.headers().get(HttpHeaderNames.HOST);
        return r.route(host == null ? "" : host, this);
    }

    /**
     * Who checks credentials for {@code Decision.Authenticate} and the login page; null (the default) answers such
     * requests 501 and serves no login page. Applies from the next request.
     */
    public void preAuthentication(PreAuthentication next) {
        preAuthentication = next;
    }

    /** The pre-authentication in use, or null. */
    PreAuthentication preAuthentication() {
        return preAuthentication;
    }

    /** From now on every connection closes after its current response (or at once when it has none). */
    public void startClosing() {
        closing = true;
    }

    public boolean closing() {
        return closing;
    }
}
