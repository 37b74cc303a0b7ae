package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.Health;
import dev.switchboard.api.OutlierState;
import dev.switchboard.engine.RealServerStats;

import java.time.Instant;
import java.util.Optional;

/**
 * One real server's row of the stats page, and the cells every row shares (rates, counts, bytes, responses,
 * latency). Its status reads in words and colour: {@code DOWN 3m12s: status 503} in red, {@code UP 2h05m} in green;
 * the admin state in words too ({@code draining} on amber). Every value from the model or the health checker goes
 * through {@link Html#escape}. Stateless.
 */
final class ServerRowHtml {

    static final String[][] ACTIONS = {{"draining", "drain"}, {"disabled", "disable"}, {"enabled", "enable"}};

    /** The table head: a row of groups, then a row of columns; {@link #COLUMNS} columns in all. */
    static final String HEAD = "<thead><tr><th colspan=\"2\">real server</th><th colspan=\"4\">status</th>"
            + "<th colspan=\"2\">requests/s</th><th colspan=\"3\">requests</th><th colspan=\"2\">bytes</th>"
            + "<th colspan=\"4\">responses</th><th colspan=\"2\">latency 1m</th><th colspan=\"2\">errors</th>"
            + "<th rowspan=\"2\">set state</th></tr>\n<tr><th>name</th><th>address</th><th>health, since</th>"
            + "<th>last check</th><th>weight</th><th>admin</th><th>now</th><th>max 1m</th><th>active</th>"
            + "<th>queued</th><th>total</th><th>in</th><th>out</th><th>2xx</th><th>3xx</th><th>4xx</th><th>5xx</th>"
            + "<th>p50</th><th>p99</th><th title=\"failed attempts sent again / persistent clients sent afresh\">"
            + "retries / redisp.</th><th>failures</th></tr></thead>\n";
    static final int COLUMNS = 22;

    private ServerRowHtml() {
    }

    static void render(StringBuilder out, String vs, String sub, RealServerStats r, Optional<ProbeView> probe,
            PageFigures f) {
        SampleKey key = new SampleKey(vs, sub, r.name());
        boolean down = r.health() == Health.DOWN;
        out.append("<tr class=\"server state-").append(r.state().configName()).append(down ? " down" : " up")
                .append("\" data-vs=\"").append(Html.escape(vs))
                .append("\" data-sub=\"").append(Html.escape(sub))
                .append("\" data-server=\"").append(Html.escape(r.name())).append("\">")
                .append("<td class=\"name\">").append(Html.escape(r.name())).append(r.backup() ? " (backup)" : "")
                .append("</td><td class=\"address\">").append(Html.escape(r.address().toString()))
                .append("</td><td class=\"health ").append(down ? "health-down" : "health-up").append("\">");
        health(out, key, r, probe, f);
        out.append("</td><td class=\"check\">").append(probe.map(p -> check(p, f)).orElse("—"))
                .append("</td><td class=\"num weight\"");
        if (r.effectiveWeight() != r.weight()) {
            out.append(" title=\"configured ").append(r.weight()).append(", agent ").append(r.agentWeightPercent())
                    .append("%\"");
        }
        out.append('>').append(r.effectiveWeight())
                .append("</td><td class=\"state admin-").append(r.state().configName()).append("\">")
                .append(r.state().configName()).append(r.stateByAgent() ? " (agent)" : "").append("</td>");
        rates(out, f, key);
        out.append("<td class=\"num active\">").append(r.activeConnections());
        if (r.openTunnels() > 0) { // WebSocket and other upgrades hold their lease until they close
            out.append(" <span class=\"tunnels\">(").append(r.openTunnels())
                    .append(r.openTunnels() == 1 ? " tunnel)</span>" : " tunnels)</span>");
        }
        out.append("</td><td class=\"num queued\">—</td><td class=\"num total\">").append(Readable.count(
                        r.totalRequests())).append("</td>");
        traffic(out, f, key, r.bytesIn(), r.bytesOut());
        out.append("<td class=\"num redispatches\">—</td><td class=\"num failures\">").append(r.failures())
                .append("</td><td class=\"actions\">");
        buttons(out, "entry", r.state().configName());
        out.append("</td></tr>\n");
    }

    /** {@code DOWN 3m12s: status 503}, {@code UP 2h05m}; an ejection by passive checks is added in words. */
    private static void health(StringBuilder out, SampleKey key, RealServerStats r, Optional<ProbeView> probe,
            PageFigures f) {
        boolean down = r.health() == Health.DOWN;
        out.append(down ? "<strong>DOWN</strong>" : "UP");
        Optional<Instant> since = f.since(key, r.health().configName());
        since.ifPresent(t -> out.append(" <span class=\"since\" title=\"since ").append(t).append("\">")
                .append(f.age(t)).append("</span>"));
        String reason = !r.healthReason().isEmpty() ? r.healthReason()
                : probe.filter(p -> !p.success()).map(ProbeView::reason).orElse("");
        if (down && !reason.isEmpty()) {
            out.append(": <span class=\"reason\">").append(Html.escape(reason)).append("</span>");
        }
        if (r.outlierState() != OutlierState.NORMAL) {
            out.append("; <strong class=\"outlier\">").append(r.outlierState() == OutlierState.EJECTED ? "EJECTED"
                    : "HALF-OPEN").append("</strong>");
            if (!r.outlierReason().isEmpty()) {
                out.append(": <span class=\"reason\">").append(Html.escape(r.outlierReason())).append("</span>");
            }
        }
    }

    /** {@code passed: status 200, 2.1 ms, 3s ago} or {@code FAILED: status 503, 1.0 ms, 1s ago}. */
    private static String check(ProbeView p, PageFigures f) {
        String what = !p.reason().isEmpty() ? p.reason() : p.status() > 0 ? "status " + p.status() : "";
        return (p.success() ? "<span class=\"check-ok\">passed</span>" : "<strong class=\"check-failed\">FAILED"
                + "</strong>") + (what.isEmpty() ? "" : ": " + Html.escape(what)) + ", " + Readable.latency(p.latency())
                + ", <span class=\"time\" title=\"" + Html.escape(p.time().toString()) + "\">" + f.age(p.time())
                + " ago</span>";
    }

    /** The rate cells: now and the maximum over the last minute. */
    static void rates(StringBuilder out, PageFigures f, SampleKey key) {
        double errors = f.errorRate(key);
        out.append("<td class=\"num rate\"");
        if (errors > 0) {
            out.append(" title=\"errors ").append(Readable.rate(errors)).append('"');
        }
        out.append('>').append(Readable.rate(f.rate(key))).append("</td><td class=\"num rate-max\">")
                .append(Readable.rate(f.maxRate(key))).append("</td>");
    }

    /** Bytes, responses by class and latency percentiles. */
    static void traffic(StringBuilder out, PageFigures f, SampleKey key, long in, long outBytes) {
        out.append("<td class=\"num bytes-in\" title=\"").append(in).append(" bytes\">").append(Readable.bytes(in))
                .append("</td><td class=\"num bytes-out\" title=\"").append(outBytes).append(" bytes\">")
                .append(Readable.bytes(outBytes)).append("</td>");
        long[] c = f.classes(key);
        for (int i = 1; i < 5; i++) {
            out.append("<td class=\"num c").append(i + 1).append("xx").append(i == 4 && c[i] > 0 ? " some" : "")
                    .append("\">").append(Readable.count(c[i])).append("</td>");
        }
        Optional<LatencySummary> l = f.latency(key);
        out.append("<td class=\"num p50\">").append(l.map(s -> Readable.latency(s.p50())).orElse("—"))
                .append("</td><td class=\"num p99\"").append(l.map(s -> " title=\"over " + s.count() + " requests\"")
                        .orElse("")).append('>')
                .append(l.map(s -> (s.above() ? "&gt; " : "") + Readable.latency(s.p99())).orElse("—"))
                .append("</td>");
    }

    /** Buttons carry only constant words; the page's script reads names from the row's data attributes. */
    static void buttons(StringBuilder out, String scope, String current) {
        for (String[] a : ACTIONS) {
            out.append("<button type=\"button\" data-scope=\"").append(scope).append("\" data-state=\"").append(a[0])
                    .append('"').append(a[0].equals(current) ? " aria-pressed=\"true\"" : "").append('>')
                    .append(a[1]).append("</button>");
        }
    }
}
