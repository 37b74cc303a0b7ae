package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.TrustedProxies;
import dev.switchboard.engine.internal.lease.EngineForward;
import dev.switchboard.engine.internal.persist.CompiledPersistence;
import dev.switchboard.engine.internal.persist.Keys;
import dev.switchboard.engine.internal.rewrite.CompiledHeaderRule;
import dev.switchboard.engine.internal.rewrite.RequestRewrite;
import dev.switchboard.engine.internal.routing.BadRequestException;
import dev.switchboard.engine.internal.routing.ContentSwitch;
import dev.switchboard.engine.internal.routing.HostNormalizer;
import dev.switchboard.engine.internal.routing.PathNormalizer;
import dev.switchboard.engine.internal.state.ServiceCounters;
import dev.switchboard.engine.internal.trace.Trace;
import java.net.InetAddress;
import java.util.List;

/**
 * One virtual service of a compiled routing table; runs the way of a request (design.md): normalize, redirect,
 * request rules before match, content switching, rules after match, then the sub-service picks. Immutable and
 * thread-safe.
 *
 * <p>The client address is resolved once per request with the virtual service's {@link TrustedProxies} (the TCP
 * peer itself, without allocating, when no proxy is trusted or the peer is not one) and is the one every step
 * sees: {@code source} content rules, source-IP hashing and source-ip persistence (as first mode or fallback).
 * When a trusted proxy's forwarded headers cannot be parsed the client is unknown: a positive {@code source} rule
 * does not match it (a negated one does), source-ip persistence has no key, and source-IP hashing picks as if at
 * random (the request is not pinned, and such requests do not all land on one server).
 */
public final class CompiledVirtualService {

    private final String name;
    private final Protocol protocol;
    private final int maxPathLength;
    private final Redirect redirect;
    private final CompiledHeaderRule[] beforeRules;
    private final CompiledHeaderRule[] afterRules;
    private final ContentSwitch contentSwitch;
    private final CompiledSubService[] subServices;
    private final int defaultIndex;
    private final ServiceCounters counters;
    private final TrustedProxies trustedProxies;

    CompiledVirtualService(String name, Protocol protocol, int maxPathLength, Redirect redirect,
            CompiledHeaderRule[] beforeRules, CompiledHeaderRule[] afterRules, ContentSwitch contentSwitch,
            CompiledSubService[] subServices, int defaultIndex, ServiceCounters counters,
            TrustedProxies trustedProxies) {
        this.name = name;
        this.protocol = protocol;
        this.maxPathLength = maxPathLength;
        this.redirect = redirect;
        this.beforeRules = beforeRules;
        this.afterRules = afterRules;
        this.contentSwitch = contentSwitch;
        this.subServices = subServices;
        this.defaultIndex = defaultIndex;
        this.counters = counters;
        this.trustedProxies = trustedProxies;
    }

    public String name() {
        return name;
    }

    public Protocol protocol() {
        return protocol;
    }

    public List<CompiledSubService> subServices() {
        return List.of(subServices);
    }

    public ServiceCounters counters() {
        return counters;
    }

    /** Dispatches one HTTP request. */
    public Decision dispatch(RequestView request, Trace trace, boolean dryRun) {
        String path;
        String host;
        try {
            path = PathNormalizer.normalize(request.rawPath(), maxPathLength);
            String authority = request.authority();
            host = authority.isEmpty() ? "" : HostNormalizer.normalize(authority);
        } catch (BadRequestException e) {
            return reject(400, e.getMessage(), trace, dryRun);
        }
        InetAddress client = trustedProxies.clientAddress(request);
        if (trace.enabled()) {
            trace.step("virtual service '" + name + "': normalized path " + path + ", host '" + host + "'");
            trace.step(describeClient(request, client));
        }
        if (redirect != null) {
            return redirect(request, path, host, trace, dryRun);
        }
        RequestRewrite rewrite = null;
        if (beforeRules.length > 0) {
            rewrite = new RequestRewrite(request, path, host);
            Decision denied = apply(beforeRules, rewrite, request, client, trace, dryRun);
            if (denied != null) {
                return denied;
            }
            path = rewrite.path();
            host = rewrite.host();
        }
        int selected = contentSwitch.select(request, path, host, client, trace);
        if (selected == ContentSwitch.NO_MATCH) {
            selected = defaultIndex;
            if (selected < 0) {
                return reject(404, "no sub-service matches and there is no default", trace, dryRun);
            }
        }
        CompiledSubService sub = subServices[selected];
        if (trace.enabled()) {
            trace.step("sub-service '" + sub.name() + "' selected" + (selected == defaultIndex ? " (default)" : ""));
        }
        if (afterRules.length > 0 || sub.requestRules().length > 0) {
            rewrite = rewrite != null ? rewrite : new RequestRewrite(request, path, host);
            Decision denied = apply(afterRules, rewrite, request, client, trace, dryRun);
            denied = denied != null ? denied : apply(sub.requestRules(), rewrite, request, client, trace, dryRun);
            if (denied != null) {
                return denied;
            }
            path = rewrite.path();
            host = rewrite.host();
        }
        String sendHost = rewrite != null && rewrite.hostRewritten() ? host : request.authority();
        List<HeaderEdit> edits = rewrite == null ? List.of() : rewrite.edits();
        return forward(sub, request, client, path, host, sendHost, edits, trace, dryRun);
    }

    /** Steps 6 to 8: the persistence keys of the request, then the sub-service forwards. */
    private Decision forward(CompiledSubService sub, RequestView request, InetAddress client, String path,
            String host, String sendHost, List<HeaderEdit> edits, Trace trace, boolean dryRun) {
        long mask = sub.responseMask(request, path, host, client, trace);
        long hash = sub.clientHash(client);
        CompiledPersistence p = sub.persistence();
        if (!p.enabled()) {
            return sub.forward(path, request.query(), sendHost, edits, mask, hash, 0, Keys.NO_KEY, Keys.NO_KEY, 0,
                    null, trace, dryRun);
        }
        long cookie = 0;
        long primaryKey = Keys.NO_KEY;
        String cookies = null;
        int flags = "https".equals(request.scheme()) ? EngineForward.SECURE : 0;
        if (p.insertsCookie()) {
            cookies = request.header("cookie");
            cookie = p.cookieServer(cookies);
        } else {
            primaryKey = p.key(p.mode(), request, client, path, host);
        }
        long fallbackKey = cookie == 0 && p.fallback() != PersistenceMode.NONE
                ? p.key(p.fallback(), request, client, path, host) : Keys.NO_KEY;
        return sub.forward(path, request.query(), sendHost, edits, mask, hash, cookie, primaryKey, fallbackKey, flags,
                cookies, trace, dryRun);
    }

    /** The trace step naming the client address and where it came from. */
    private String describeClient(RequestView request, InetAddress client) {
        InetAddress peer = request.sourceAddress();
        if (client == null) {
            return "client address unknown: the forwarded headers of trusted proxy " + peer.getHostAddress()
                    + " cannot be parsed (no source rule matches, no source-ip key)";
        }
        return "client address " + client.getHostAddress() + (client.equals(peer) ? " (the TCP peer)"
                : " (from the forwarded headers of trusted proxy " + peer.getHostAddress() + ")");
    }

    /** Dispatches one layer-4 connection to the default sub-service. */
    public Decision dispatch(ConnectionView connection, Trace trace, boolean dryRun) {
        int selected = defaultIndex >= 0 ? defaultIndex : 0;
        if (subServices.length == 0) {
            return reject(503, "virtual service '" + name + "' has no sub-service", trace, dryRun);
        }
        CompiledSubService sub = subServices[selected];
        if (trace.enabled()) {
            trace.step("virtual service '" + name + "' (layer 4): sub-service '" + sub.name() + "'");
        }
        long hash = sub.clientHash(connection.sourceAddress());
        CompiledPersistence p = sub.persistence();
        long primaryKey = p.enabled() ? p.key(p.mode(), connection) : Keys.NO_KEY;
        long fallbackKey = p.enabled() ? p.key(p.fallback(), connection) : Keys.NO_KEY;
        return sub.forward("/", "", "", List.of(), -1L, hash, 0, primaryKey, fallbackKey, 0, null, trace, dryRun);
    }

    private Decision apply(CompiledHeaderRule[] rules, RequestRewrite rewrite, RequestView request,
            InetAddress client, Trace trace, boolean dryRun) {
        for (CompiledHeaderRule rule : rules) {
            if (!rule.applies(request, rewrite.path(), rewrite.host(), client, trace)) {
                continue;
            }
            String pathBefore = rewrite.path();
            String hostBefore = rewrite.host();
            if (!rule.applyToRequest(rewrite, trace)) {
                return reject(rule.rule().status(), "denied by rule", trace, dryRun);
            }
            try {
                if (!pathBefore.equals(rewrite.path())) {
                    rewrite.normalizedPath(PathNormalizer.normalize(rewrite.path(), maxPathLength));
                }
                if (!hostBefore.equals(rewrite.host())) {
                    rewrite.normalizedHost(HostNormalizer.normalize(rewrite.host()));
                }
            } catch (BadRequestException e) {
                return reject(400, "rewritten " + e.getMessage(), trace, dryRun);
            }
        }
        return null;
    }

    private Decision redirect(RequestView request, String path, String host, Trace trace, boolean dryRun) {
        String toHost = redirect.host().isEmpty() ? host : redirect.host();
        if (toHost.isEmpty()) {
            return reject(400, "host: a redirect needs a Host header", trace, dryRun);
        }
        int port = redirect.port();
        boolean defaultPort = port == 0 || port == 443 && redirect.scheme().equals("https")
                || port == 80 && redirect.scheme().equals("http");
        String query = request.query();
        String location = redirect.scheme() + "://" + toHost + (defaultPort ? "" : ":" + port) + path
                + (query.isEmpty() ? "" : "?" + query);
        if (trace.enabled()) {
            trace.step("redirector: " + redirect.status() + " to " + location);
        }
        if (!dryRun) {
            counters.redirected();
        }
        return new Decision.Redirect(redirect.status(), location);
    }

    private Decision reject(int status, String reason, Trace trace, boolean dryRun) {
        if (!dryRun) {
            counters.rejected();
        }
        if (trace.enabled()) {
            trace.step("answered " + status + ": " + reason);
        }
        return Decision.Respond.of(status, reason);
    }

    /** A 64-bit hash of a known client address (splitmix64 finalizer over the address's own hash). */
    static long hashOf(InetAddress address) {
        long z = address.hashCode() * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
