package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.Health;
import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Renders the stats tree as the HTML tables of the stats page: one table per virtual service, a heading row per
 * sub-service, a row per real server with buttons, and a table of hosts (every entry of one server name). Every
 * value from the model or the health checker goes through {@link Html#escape}.
 */
final class StatsHtml {

    private static final String[][] ACTIONS = {{"draining", "drain"}, {"disabled", "disable"}, {"enabled", "enable"}};
    private static final int COLUMNS = 9;

    private StatsHtml() {
    }

    static String render(EngineStats stats, GatewayControl control) {
        StringBuilder out = new StringBuilder(4096);
        if (stats.virtualServices().isEmpty()) {
            out.append("<p>No virtual services are configured.</p>\n");
        }
        Set<String> hosts = new LinkedHashSet<>();
        for (VirtualServiceStats vs : stats.virtualServices()) {
            virtualService(out, vs, control);
            vs.subServices().forEach(s -> s.realServers().forEach(r -> hosts.add(r.name())));
        }
        hosts(out, hosts);
        return out.toString();
    }

    private static void virtualService(StringBuilder out, VirtualServiceStats vs, GatewayControl control) {
        out.append("<section class=\"vs\" data-vs=\"").append(Html.escape(vs.name())).append("\">\n<h2>")
                .append(Html.escape(vs.name())).append(" <span class=\"meta\">")
                .append(vs.protocol().name().toLowerCase(Locale.ROOT))
                .append(" · total ").append(vs.totalRequests())
                .append(" · active ").append(vs.activeConnections())
                .append(" · rejected ").append(vs.rejected())
                .append(" · persistence entries <span class=\"persistence\">").append(vs.persistenceEntries())
                .append("</span></span></h2>\n<table>\n<thead><tr><th>real server</th><th>address</th><th>state</th>"
                        + "<th>health</th><th>active</th><th>total</th><th>failures</th><th>last probe</th>"
                        + "<th>set state</th></tr></thead>\n");
        for (SubServiceStats sub : vs.subServices()) {
            out.append("<tbody class=\"sub\" data-sub=\"").append(Html.escape(sub.name())).append("\">\n")
                    .append("<tr class=\"sub-head sub-").append(cssWord(sub.state())).append("\"><th colspan=\"")
                    .append(COLUMNS).append("\">sub-service ").append(Html.escape(sub.name()))
                    .append(" — ").append(Html.escape(sub.state()))
                    .append(", healthy ").append(sub.healthyServers()).append(" of ").append(sub.realServers().size())
                    .append(", total ").append(sub.totalRequests())
                    .append(", waiting ").append(sub.waiting())
                    .append(", persistence entries ").append(sub.persistenceEntries()).append("</th></tr>\n");
            for (RealServerStats r : sub.realServers()) {
                server(out, vs.name(), sub.name(), r, control.findLastProbe(vs.name(), sub.name(), r.name()));
            }
            out.append("</tbody>\n");
        }
        out.append("</table>\n</section>\n");
    }

    private static void server(StringBuilder out, String vs, String sub, RealServerStats r, Optional<ProbeView> probe) {
        boolean down = r.health() == Health.DOWN;
        out.append("<tr class=\"server state-").append(r.state().configName()).append(down ? " down" : " up")
                .append("\" data-vs=\"").append(Html.escape(vs))
                .append("\" data-sub=\"").append(Html.escape(sub))
                .append("\" data-server=\"").append(Html.escape(r.name())).append("\">")
                .append("<td class=\"name\">").append(Html.escape(r.name())).append(r.backup() ? " (backup)" : "")
                .append("</td><td class=\"address\">").append(Html.escape(r.address().toString()))
                .append("</td><td class=\"state\">").append(r.state().configName())
                .append("</td><td class=\"health\">").append(down ? "<strong>DOWN</strong>" : "up");
        if (!r.healthReason().isEmpty()) {
            out.append(" <span class=\"reason\">(").append(Html.escape(r.healthReason())).append(")</span>");
        }
        out.append("</td><td class=\"num active\">").append(r.activeConnections())
                .append("</td><td class=\"num total\">").append(r.totalRequests())
                .append("</td><td class=\"num failures\">").append(r.failures())
                .append("</td><td class=\"probe\">").append(probe.map(StatsHtml::probe).orElse("—"))
                .append("</td><td class=\"actions\">");
        buttons(out, "entry", r.state().configName());
        out.append("</td></tr>\n");
    }

    private static String probe(ProbeView p) {
        return (p.success() ? "ok" : "<strong>failed</strong>")
                + (p.status() > 0 ? ", status " + p.status() : "")
                + ", " + StatsJson.latencyMillis(p) + " ms, " + Html.escape(p.reason())
                + " <span class=\"time\">" + Html.escape(p.time().toString()) + "</span>";
    }

    private static void hosts(StringBuilder out, Set<String> hosts) {
        if (hosts.isEmpty()) {
            return;
        }
        out.append("<section class=\"hosts\">\n<h2>Hosts <span class=\"meta\">every entry of a real server name,"
                + " in every sub-service</span></h2>\n<table>\n<thead><tr><th>real server</th><th>set state everywhere"
                + "</th></tr></thead>\n<tbody>\n");
        for (String host : hosts) {
            out.append("<tr class=\"host\" data-server=\"").append(Html.escape(host)).append("\"><td class=\"name\">")
                    .append(Html.escape(host)).append("</td><td class=\"actions\">");
            buttons(out, "host", "");
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }

    /** Buttons carry only constant words; the page's script reads names from the row's data attributes. */
    private static void buttons(StringBuilder out, String scope, String current) {
        for (String[] a : ACTIONS) {
            out.append("<button type=\"button\" data-scope=\"").append(scope).append("\" data-state=\"").append(a[0])
                    .append('"').append(a[0].equals(current) ? " aria-pressed=\"true\"" : "").append('>')
                    .append(a[1]).append("</button>");
        }
    }

    /** A pool state as a CSS class word: letters only. */
    private static String cssWord(String state) {
        return state.chars().allMatch(c -> c >= 'a' && c <= 'z') ? state : "other";
    }
}
