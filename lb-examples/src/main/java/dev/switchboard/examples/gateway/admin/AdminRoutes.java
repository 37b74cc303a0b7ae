package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.engine.DispatchEngine;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;
import dev.switchboard.config.ConfigFileException;
import io.netty.handler.codec.http.QueryStringDecoder;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The admin API's endpoints: picks one by path and method and answers it. Called on the admin server's own
 * thread, one request at a time. Bad input is an {@link AdminError} (a 4xx), never anything else. Most answers are
 * ready at once; a state change with a {@code wait} answers later, rendered on the same thread, without holding
 * it while it waits.
 */
final class AdminRoutes {

    /**
     * How long a drain is followed; the answer waits for it at most the body's {@code wait} (none by default), else
     * it only says whether it is already done.
     */
    private static final Duration DRAIN_DEADLINE = StateChange.MAX_WAIT;

    private final GatewayControl control;
    private final FleetStatsSource fleet;
    private final Executor executor;
    private final StatsSampler sampler;
    private final LatencySource latencies;

    /**
     * {@code executor}: the admin server's own thread, where a late answer is rendered; {@code sampler} and
     * {@code latencies}: the rates and percentiles of the stats page and {@code /api/stats}.
     */
    AdminRoutes(GatewayControl control, FleetStatsSource fleet, Executor executor, StatsSampler sampler,
            LatencySource latencies) {
        this.control = control;
        this.fleet = fleet;
        this.executor = executor;
        this.sampler = sampler;
        this.latencies = latencies;
    }

    /**
     * The answer to one request: completed at once, except for a state change with a {@code wait}.
     *
     * @throws AdminError when the request is refused at once; a late answer never fails with one
     */
    CompletableFuture<AdminResponse> handle(String method, String uri, byte[] body) {
        QueryStringDecoder decoder = query(uri);
        List<String> p = PathSegments.decode(decoder.rawPath());
        int n = p.size();
        if (n == 4 && p.get(0).equals("api") && p.get(1).equals("real-servers") && p.get(3).equals("state")) {
            return later("PUT", method, () -> setHostState(p.get(2), StateChange.parse(body)));
        }
        if (n == 8 && p.get(0).equals("api") && p.get(1).equals("virtual-services") && p.get(3).equals("sub-services")
                && p.get(5).equals("real-servers") && p.get(7).equals("state")) {
            return later("PUT", method, () -> setEntryState(p.get(2), p.get(4), p.get(6), StateChange.parse(body)));
        }
        return CompletableFuture.completedFuture(now(method, decoder, p));
    }

    private AdminResponse now(String method, QueryStringDecoder decoder, List<String> p) {
        int n = p.size();
        if (n == 0) {
            return only("GET", method, () -> {
                PageQuery q = PageQuery.parse(decoder.parameters());
                return StatsPage.page(tables(q), q);
            });
        }
        if (n == 2 && p.get(0).equals("stats") && p.get(1).equals("tables")) {
            return only("GET", method, () -> StatsPage.tables(tables(PageQuery.parse(decoder.parameters()))));
        }
        if (n >= 2 && p.get(0).equals("api")) {
            String what = p.get(1);
            if (n == 2 && what.equals("stats")) {
                return only("GET", method, () -> stats(StatsScope.parse(decoder.parameters())));
            }
            if (n == 2 && what.equals("events")) {
                return only("GET", method, () -> EventsJson.render(control.findEventHistory(), decoder.parameters()));
            }
            if (n == 2 && what.equals("explain")) {
                return only("GET", method, () -> explain(decoder.parameters()));
            }
            if (n == 2 && what.equals("reload")) {
                return only("POST", method, this::reload);
            }
        }
        throw AdminError.notFound("path: " + decoder.rawPath() + " (expected: an admin endpoint: GET /, GET /api/stats,"
                + " GET /api/explain, PUT .../real-servers/{server}/state, POST /api/reload)");
    }

    private static QueryStringDecoder query(String uri) {
        try {
            QueryStringDecoder decoder = new QueryStringDecoder(uri);
            decoder.parameters(); // decodes now, so that a bad escape is a 400 here
            return decoder;
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest("query: " + uri + " (expected: valid percent-encoding)");
        }
    }

    private static AdminResponse only(String allowed, String method, Supplier<AdminResponse> route) {
        return allowed.equals(method) ? route.get() : AdminResponse.methodNotAllowed(method, allowed);
    }

    private static CompletableFuture<AdminResponse> later(String allowed, String method,
            Supplier<CompletableFuture<AdminResponse>> route) {
        return allowed.equals(method) ? route.get()
                : CompletableFuture.completedFuture(AdminResponse.methodNotAllowed(method, allowed));
    }

    private DispatchEngine engine() {
        return control.engine();
    }

    /** The page's fragment: the stats tables as {@code q} says, the fleet section, the recent events. */
    private String tables(PageQuery q) {
        EngineStats stats = engine().stats();
        PageFigures figures = PageFigures.of(control, sampler, latencies);
        return StatsHtml.render(stats, control, figures, q) + fleetSection()
                + EventsHtml.render(control.findEventHistory(), figures.now());
    }

    private AdminResponse stats(StatsScope scope) {
        ObjectNode local = StatsJson.render(engine().stats(), control, PageFigures.of(control, sampler, latencies));
        if (scope == StatsScope.LOCAL) {
            return AdminResponse.json(200, local);
        }
        if (!fleet.clustered()) {
            throw AdminError.notFound("scope: cluster (expected: local; this gateway runs alone, its configuration has"
                    + " no cluster)");
        }
        return AdminResponse.json(200, FleetStatsJson.render(fleet.members(), local));
    }

    /** The stats page's fleet section; empty for a gateway that runs alone. */
    private String fleetSection() {
        if (!fleet.clustered()) {
            return "";
        }
        ObjectNode local = StatsJson.render(engine().stats(), control);
        return FleetStatsHtml.render(FleetStatsJson.render(fleet.members(), local));
    }

    private AdminResponse explain(Map<String, List<String>> params) {
        ExplainQuery q = ExplainQuery.parse(params);
        if (engine().model().findVirtualService(q.virtualService()).isEmpty()) {
            throw AdminError.notFound("vs: " + q.virtualService() + " (expected: the name of a virtual service)");
        }
        return AdminResponse.json(200,
                ExplainJson.render(q.virtualService(), q.request(), engine().explain(q.virtualService(), q.request())));
    }

    private AdminResponse reload() {
        try {
            control.reload();
        } catch (ConfigFileException e) {
            return AdminResponse.errors(400, "configuration file: invalid, nothing changed", e.errors());
        } catch (ConfigurationException e) { // refused by the engine: nothing changed either
            return AdminResponse.errors(400, "configuration: refused by the engine, nothing changed",
                    e.violations().stream().map(Object::toString).toList());
        } catch (IllegalStateException e) {
            return AdminResponse.error(409, "reload: " + e.getMessage());
        }
        ObjectNode out = AdminResponse.JSON.createObjectNode();
        out.put("reloaded", true);
        out.put("virtualServices", engine().model().virtualServices().size());
        return AdminResponse.json(200, out);
    }

    private CompletableFuture<AdminResponse> setHostState(String server, StateChange change) {
        AdminState state = change.state();
        boolean known = engine().stats().virtualServices().stream().flatMap(v -> v.subServices().stream())
                .flatMap(s -> s.realServers().stream()).anyMatch(r -> r.name().equals(server));
        if (!known) {
            throw AdminError.notFound("server: " + server + " (expected: the name of a real server)");
        }
        CompletableFuture<Boolean> drained;
        try {
            drained = engine().setAdminState(server, state, DRAIN_DEADLINE);
        } catch (IllegalArgumentException e) { // removed by a reload in between
            throw AdminError.notFound("server: " + server + " (expected: the name of a real server)");
        }
        return answer(server, change, drained, "", "");
    }

    private CompletableFuture<AdminResponse> setEntryState(String vs, String sub, String server, StateChange change) {
        AdminState state = change.state();
        EngineStats stats = engine().stats();
        VirtualServiceStats v = stats.findVirtualService(vs).orElseThrow(
                () -> AdminError.notFound("vs: " + vs + " (expected: the name of a virtual service)"));
        SubServiceStats s = v.subServices().stream().filter(x -> x.name().equals(sub)).findFirst().orElseThrow(
                () -> AdminError.notFound("sub: " + sub + " (expected: a sub-service of " + vs + ")"));
        if (s.realServers().stream().noneMatch(r -> r.name().equals(server))) {
            throw AdminError.notFound("server: " + server + " (expected: a real server of " + vs + "/" + sub + ")");
        }
        CompletableFuture<Boolean> drained;
        try {
            drained = engine().setAdminState(vs, sub, server, state, DRAIN_DEADLINE);
        } catch (IllegalArgumentException e) {
            throw AdminError.notFound("server: " + vs + "/" + sub + "/" + server + " (expected: a real server)");
        }
        return answer(server, change, drained, vs, sub);
    }

    /**
     * Now when there is no {@code wait} or the drain is already over; else once the drain is over or the wait has
     * passed, whichever comes first. The engine's future is never completed here: a copy times out.
     */
    private CompletableFuture<AdminResponse> answer(String server, StateChange change,
            CompletableFuture<Boolean> drained, String vs, String sub) {
        if (change.maxWait().isZero() || drained.isDone()) {
            return CompletableFuture.completedFuture(changed(server, change.state(), drained.getNow(false), vs, sub));
        }
        return drained.copy().completeOnTimeout(false, change.maxWait().toNanos(), TimeUnit.NANOSECONDS)
                .exceptionally(e -> false)
                .thenApplyAsync(done -> changed(server, change.state(), done, vs, sub), executor);
    }

    /** The entries now in {@code state}, with their active leases; {@code vs} empty for every entry of the name. */
    private AdminResponse changed(String server, AdminState state, boolean drained, String vs, String sub) {
        ObjectNode out = AdminResponse.JSON.createObjectNode();
        out.put("server", server);
        out.put("state", state.configName());
        out.put("drained", drained);
        ArrayNode entries = out.putArray("realServers");
        for (VirtualServiceStats v : engine().stats().virtualServices()) {
            for (SubServiceStats s : v.subServices()) {
                if (!vs.isEmpty() && !(v.name().equals(vs) && s.name().equals(sub))) {
                    continue;
                }
                for (RealServerStats r : s.realServers()) {
                    if (r.name().equals(server)) {
                        ObjectNode e = entries.addObject();
                        e.put("virtualService", v.name());
                        e.put("subService", s.name());
                        e.put("state", r.state().configName());
                        e.put("activeConnections", r.activeConnections());
                    }
                }
            }
        }
        return AdminResponse.json(200, out);
    }
}
