package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;
import dev.switchboard.netty.limit.ConnectionBudget;

import java.util.Optional;

/** Renders the engine's stats tree, with each server's last probe, as the JSON of {@code GET /api/stats}. */
final class StatsJson {

    private StatsJson() {
    }

    /** The document of {@code GET /api/stats} now, as UTF-8 JSON bytes (what fleet members publish). */
    static byte[] bytes(GatewayControl control) {
        try {
            return AdminResponse.JSON.writeValueAsBytes(render(control.engine().stats(), control));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of our own could not be written", e);
        }
    }

    static ObjectNode render(EngineStats stats, GatewayControl control) {
        return render(stats, control, PageFigures.none(stats));
    }

    /**
     * The tree with the figures of the stats page added to the contract's fields: {@code rate} (requests per second
     * now and the maximum over the last minute, errors per second now), {@code responses} by class, {@code latency}
     * (p50 and p99 in milliseconds, over how many requests), {@code healthSince}, {@code redispatches} and
     * {@code retries}, and for a virtual service that pre-authenticates its {@code authentication} counters.
     */
    static ObjectNode render(EngineStats stats, GatewayControl control, PageFigures f) {
        ObjectNode root = AdminResponse.JSON.createObjectNode();
        Optional<ConnectionBudget> budget = control.findConnectionBudget();
        budget.ifPresent(b -> ConnectionStatsJson.gateway(root, b));
        ArrayNode vss = root.putArray("virtualServices");
        for (VirtualServiceStats vs : stats.virtualServices()) {
            ObjectNode v = vss.addObject();
            v.put("name", vs.name());
            v.put("protocol", vs.protocol().name().toLowerCase(java.util.Locale.ROOT));
            v.put("totalRequests", vs.totalRequests());
            v.put("activeConnections", vs.activeConnections());
            v.put("rejected", vs.rejected());
            v.put("redirects", vs.redirects());
            v.put("persistenceEntries", vs.persistenceEntries());
            rate(v, f, SampleKey.of(vs.name()));
            if (AuthenticationFigures.authenticates(control.engine().model(), vs.name())) {
                AuthenticationFigures.json(v, vs.authentication());
            }
            budget.flatMap(b -> b.findLimiter(vs.name())).ifPresent(l -> ConnectionStatsJson.virtualService(v, l));
            ArrayNode subs = v.putArray("subServices");
            for (SubServiceStats sub : vs.subServices()) {
                subService(subs.addObject(), vs.name(), sub, control, f);
            }
        }
        return root;
    }

    private static void subService(ObjectNode s, String vs, SubServiceStats sub, GatewayControl control,
            PageFigures f) {
        s.put("name", sub.name());
        s.put("state", sub.state());
        s.put("healthyServers", sub.healthyServers());
        s.put("totalRequests", sub.totalRequests());
        s.put("waiting", sub.waiting());
        s.put("queuedTotal", sub.queuedTotal());
        s.put("rejected", sub.rejected());
        s.put("sorry", sub.sorry());
        s.put("persistenceEntries", sub.persistenceEntries());
        SampleKey key = SampleKey.of(vs, sub.name());
        s.put("redispatches", f.redispatches(key));
        s.put("retries", f.retries(key));
        f.since(key, sub.state()).ifPresent(t -> s.put("stateSince", t.toString()));
        figures(s, f, key);
        ArrayNode servers = s.putArray("realServers");
        for (RealServerStats r : sub.realServers()) {
            ObjectNode n = servers.addObject();
            realServer(n, r, control.findLastProbe(vs, sub.name(), r.name()));
            SampleKey rk = new SampleKey(vs, sub.name(), r.name());
            f.since(rk, r.health().configName()).ifPresent(t -> n.put("healthSince", t.toString()));
            figures(n, f, rk);
        }
    }

    private static void figures(ObjectNode n, PageFigures f, SampleKey key) {
        rate(n, f, key);
        ObjectNode classes = n.putObject("responses");
        long[] c = f.classes(key);
        for (int i = 0; i < c.length; i++) {
            classes.put((i + 1) + "xx", c[i]);
        }
        f.latency(key).ifPresent(l -> {
            ObjectNode o = n.putObject("latency");
            o.put("count", l.count());
            o.put("p50Millis", l.p50().toNanos() / 1e6);
            o.put("p99Millis", l.p99().toNanos() / 1e6);
            o.put("p99AboveLastBucket", l.above());
        });
    }

    private static void rate(ObjectNode n, PageFigures f, SampleKey key) {
        ObjectNode o = n.putObject("rate");
        o.put("current", round(f.rate(key)));
        o.put("maxLastMinute", round(f.maxRate(key)));
        o.put("errorsCurrent", round(f.errorRate(key)));
    }

    /** {@code v} to three decimals, as every rate of the document. */
    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    private static void realServer(ObjectNode r, RealServerStats s, Optional<ProbeView> probe) {
        r.put("name", s.name());
        r.put("address", s.address().toString());
        r.put("state", s.state().configName());
        r.put("health", s.health().configName());
        r.put("healthReason", s.healthReason());
        r.put("weight", s.weight());
        r.put("backup", s.backup());
        r.put("activeConnections", s.activeConnections());
        r.put("openTunnels", s.openTunnels());
        r.put("totalRequests", s.totalRequests());
        r.put("failures", s.failures());
        r.put("bytesIn", s.bytesIn());
        r.put("bytesOut", s.bytesOut());
        probe.ifPresent(p -> probe(r.putObject("lastProbe"), p));
    }

    private static void probe(ObjectNode n, ProbeView p) {
        n.put("time", p.time().toString());
        n.put("latencyMillis", latencyMillis(p));
        n.put("status", p.status());
        n.put("success", p.success());
        n.put("reason", p.reason());
    }

    /** Milliseconds with microsecond precision, e.g. {@code 1.234}. */
    static double latencyMillis(ProbeView p) {
        return Math.round(p.latency().toNanos() / 1_000.0) / 1_000.0;
    }
}
