package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.ConnectionView;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.Redirect;
import dev.switchboard.api.RequestView;
import dev.switchboard.api.TrustedProxies;
import dev.switchboard.engine.internal.auth.AuthStep;
import dev.switchboard.engine.internal.auth.AuthenticatedForward;
import dev.switchboard.engine.internal.auth.CompiledAuth;
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
 * One virtual service of a compiled routing table; runs the way of a request (design.md) in its order: normalize,
 * redirect, request rules before match, content switching, rules after match, persistence keys, the server
 * (persistent, else scheduled; else the queue, the sorry server or 503), the sub-service's request rules, and the
 * decision. Immutable and thread-safe.
 *
 * <p>Each step reads the request as the steps before it left it: content switching and rule conditions see the
 * path, host and headers as rewritten by the rules that ran before them, and the persistence keys (and the hash of
 * url-hash, query-param and host persistence) are read from the request as the virtual service's rules (both
 * phases) left it. The sub-service's own request rules run after the server is chosen, so they change only what is
 * forwarded, never where it goes; a deny among them gives the chosen server's slot back. A request that must wait
 * for a slot is the exception in time, not in effect: its sub-service rules run before it waits, because the host's
 * {@link RequestView} may be read only during dispatch (a deny answers at once).
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
    /**
     * The pre-authentication of each sub-service, by index; null when none of them authenticates. When one does,
     * every sub-service (its policy {@code none} too) removes a client-sent {@code X-Authenticated-User}, so no real
     * server behind this virtual service ever sees one the engine did not set.
     */
    private final CompiledAuth[] auths;

    CompiledVirtualService(String name, Protocol protocol, int maxPathLength, Redirect redirect,
            CompiledHeaderRule[] beforeRules, CompiledHeaderRule[] afterRules, ContentSwitch contentSwitch,
            CompiledSubService[] subServices, int defaultIndex, ServiceCounters counters,
            TrustedProxies trustedProxies, CompiledAuth[] auths) {
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
        this.auths = auths;
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

    /** Whether some sub-service of it pre-authenticates. */
    public boolean authenticates() {
        return auths != null;
    }

    /** Dispatches one HTTP request. */
    public Decision dispatch(RequestView request, Trace trace, boolean dryRun) {
        return dispatch(request, "", trace, dryRun);
    }

    /**
     * Dispatches one HTTP request whose credentials the host verified as {@code verifiedUser} (empty: none, the
     * request must show a valid SSO cookie where its sub-service authenticates).
     */
    public Decision dispatch(RequestView request, String verifiedUser, Trace trace, boolean dryRun) {
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
            Decision denied = apply(beforeRules, rewrite, client, trace, dryRun);
            if (denied != null) {
                return denied;
            }
            path = rewrite.path();
            host = rewrite.host();
        }
        int selected = contentSwitch.select(rewrite != null ? rewrite : request, path, host, client, trace);
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
        if (auths != null) { // some sub-service of this virtual service authenticates
            rewrite = rewrite != null ? rewrite : new RequestRewrite(request, path, host);
            return authenticated(auths[selected], sub, request, rewrite, client, verifiedUser, trace, dryRun);
        }
        if (afterRules.length > 0) {
            rewrite = rewrite != null ? rewrite : new RequestRewrite(request, path, host);
            Decision denied = apply(afterRules, rewrite, client, trace, dryRun);
            if (denied != null) {
                return denied;
            }
            path = rewrite.path();
            host = rewrite.host();
        }
        return forward(sub, request, rewrite, client, path, host, trace, dryRun);
    }

    /**
     * The rest of the way for a sub-service that authenticates: its policy decides (an answer, or the edits and
     * the user); then the rules after match and the forward, which carries the user.
     */
    private Decision authenticated(CompiledAuth auth, CompiledSubService sub, RequestView request,
            RequestRewrite rewrite, InetAddress client, String verifiedUser, Trace trace, boolean dryRun) {
        String clientPath;
        try {
            clientPath = PathNormalizer.normalize(request.rawPath(), maxPathLength);
        } catch (BadRequestException e) {
            return reject(400, e.getMessage(), trace, dryRun); // not reached: the same path was normalized before
        }
        InetAddress known = client != null ? client : request.sourceAddress();
        AuthStep step = auth.decide(rewrite, rewrite.path(), clientPath, known.getHostAddress(), verifiedUser, name,
                sub.name(), trace);
        if (step instanceof AuthStep.Answer a) {
            if (!dryRun) {
                if (a.decision() instanceof Decision.Authenticate) {
                    counters.checkAsked();
                } else if (a.decision() instanceof Decision.Respond r && r.status() == 400) {
                    counters.rejected(400);
                } else {
                    counters.challenged();
                }
            }
            return a.decision();
        }
        AuthStep.Pass pass = (AuthStep.Pass) step;
        pass.edits().forEach(rewrite::edit);
        if (afterRules.length > 0) {
            Decision denied = apply(afterRules, rewrite, client, trace, dryRun);
            if (denied != null) {
                return denied;
            }
        }
        Decision d = forward(sub, request, rewrite, client, rewrite.path(), rewrite.host(), trace, dryRun);
        String setCookie = pass.refreshed().isEmpty() ? ""
                : auth.cookies().setCookie(pass.refreshed(), "https".equals(request.scheme()));
        return AuthenticatedForward.of(d, pass.user(), setCookie);
    }

    /**
     * Steps 6 to 9: the persistence keys, read from the request as the virtual service's rules left it
     * ({@code rewrite}, or the request itself when there were none); the server; then the sub-service's own
     * request rules, which therefore never influence the choice; then the decision.
     *
     * @param rewrite the request as rewritten by the virtual service's rules, or null when none ran
     */
    private Decision forward(CompiledSubService sub, RequestView request, RequestRewrite rewrite, InetAddress client,
            String path, String host, Trace trace, boolean dryRun) {
        RequestView routed = rewrite != null ? rewrite : request;
        long hash = sub.clientHash(client);
        CompiledPersistence p = sub.persistence();
        long cookie = 0;
        long primaryKey = Keys.NO_KEY;
        long fallbackKey = Keys.NO_KEY;
        String cookies = null;
        int flags = 0;
        if (p.enabled()) {
            flags = "https".equals(request.scheme()) ? EngineForward.SECURE : 0;
            if (p.insertsCookie()) {
                cookies = routed.header("cookie");
                cookie = p.cookieServer(cookies);
            } else {
                primaryKey = p.key(p.mode(), routed, client, path, host);
            }
            fallbackKey = cookie == 0 && p.fallback() != PersistenceMode.NONE
                    ? p.key(p.fallback(), routed, client, path, host) : Keys.NO_KEY;
            if (trace.enabled()) {
                trace.step("persistence keys read from the request as the virtual service's rules left it: path "
                        + path + ", host '" + host + "'");
            }
        }
        long chosen = sub.choose(cookie, primaryKey, fallbackKey, hash, trace, dryRun);
        if (sub.requestRules().length > 0 && sub.forwards(chosen)) {
            if (trace.enabled()) {
                trace.step("request rules of sub-service '" + sub.name() + "'" + (chosen == CompiledSubService.WAIT
                        ? " (before the wait: the request is read only during dispatch)"
                        : " (after the server is chosen)"));
            }
            rewrite = rewrite != null ? rewrite : new RequestRewrite(request, path, host);
            Decision denied = apply(sub.requestRules(), rewrite, client, trace, dryRun);
            if (denied != null) {
                if (!dryRun) {
                    sub.giveBack(chosen);
                }
                return denied;
            }
            path = rewrite.path();
            host = rewrite.host();
        }
        String sendHost = rewrite != null && rewrite.hostRewritten() ? host : request.authority();
        List<HeaderEdit> edits = rewrite == null ? List.of() : rewrite.edits();
        long mask = sub.forwards(chosen)
                ? sub.responseMask(rewrite != null ? rewrite : request, path, host, client, trace) : -1L;
        return sub.complete(chosen, path, request.query(), sendHost, edits, mask, hash, cookie, primaryKey,
                fallbackKey, flags, cookies, dryRun);
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

    /**
     * Dispatches one layer-4 connection: steps 1, 6, 7, 8 of the way of a request on the default sub-service (or
     * the first). No content switching and no rules; the SNI of the {@link ConnectionView} is not read here (a host
     * that routes by SNI names the virtual service itself). Persistence keys are the source address (masked) and
     * the session ID sniffed from the ClientHello; the lease's {@code onTlsSession} learns the one the server chose.
     */
    public Decision dispatch(ConnectionView connection, Trace trace, boolean dryRun) {
        int selected = defaultIndex >= 0 ? defaultIndex : 0;
        if (subServices.length == 0) {
            return reject(503, "virtual service '" + name + "' has no sub-service", trace, dryRun);
        }
        CompiledSubService sub = subServices[selected];
        if (trace.enabled()) {
            trace.step("virtual service '" + name + "' (layer 4): sub-service '" + sub.name() + "'"
                    + (selected == defaultIndex ? " (default)" : " (the first: there is no default)"));
        }
        long hash = sub.clientHash(connection.sourceAddress());
        CompiledPersistence p = sub.persistence();
        long primaryKey = p.enabled() ? p.key(p.mode(), connection) : Keys.NO_KEY;
        long fallbackKey = p.enabled() ? p.key(p.fallback(), connection) : Keys.NO_KEY;
        if (p.enabled() && trace.enabled()) {
            String session = connection.tlsSessionId();
            trace.step("persistence keys read from the connection: source " + connection.sourceAddress()
                    .getHostAddress() + ", sniffed session ID " + (session.isEmpty() ? "none" : session));
        }
        long chosen = sub.choose(0, primaryKey, fallbackKey, hash, trace, dryRun);
        return sub.complete(chosen, "/", "", "", List.of(), -1L, hash, 0, primaryKey, fallbackKey, 0, null, dryRun);
    }

    /**
     * Runs request rules on {@code rewrite}; a condition sees the request as the rules before it left it.
     *
     * @return the answer of a deny rule, or null when the request goes on
     */
    private Decision apply(CompiledHeaderRule[] rules, RequestRewrite rewrite, InetAddress client, Trace trace,
            boolean dryRun) {
        for (CompiledHeaderRule rule : rules) {
            if (!rule.applies(rewrite, rewrite.path(), rewrite.host(), client, trace)) {
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
            counters.rejected(status);
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
