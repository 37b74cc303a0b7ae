package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One sub-service of the stats page: a summary row with its sparkline (the last 15 minutes of request and error
 * rates), its state in words and colour with its "since", its sums over its servers, then a row per server
 * ({@link ServerRowHtml}). Stateless.
 */
final class SubServiceHtml {

    private SubServiceHtml() {
    }

    static void render(StringBuilder out, String vs, SubServiceStats sub, List<RealServerStats> servers,
            GatewayControl control, PageFigures f) {
        SampleKey key = SampleKey.of(vs, sub.name());
        String state = cssWord(sub.state());
        boolean degraded = sub.healthyServers() < sub.realServers().size();
        out.append("<tbody class=\"sub\" data-sub=\"").append(Html.escape(sub.name())).append("\">\n")
                .append("<tr class=\"sub-head sub-").append(state).append(degraded ? " degraded" : "")
                .append("\" data-vs=\"").append(Html.escape(vs))
                .append("\" data-sub=\"").append(Html.escape(sub.name())).append("\"><th colspan=\"2\" class=\"name\">")
                .append("<span class=\"label\">sub-service</span> ").append(Html.escape(sub.name())).append("<br>")
                .append(Sparkline.svg(f.sparkline(key), f.now(), StatsSampler.SPARK_WINDOW,
                        StatsSampler.SPARK_INTERVAL))
                .append("</th><td class=\"health sub-state\">");
        String word = sub.state().toUpperCase(Locale.ROOT);
        out.append(state.equals("up") ? word : "<strong>" + Html.escape(word) + "</strong>");
        Optional<Instant> since = f.since(key, sub.state());
        since.ifPresent(t -> out.append(" <span class=\"since\" title=\"since ").append(t).append("\">")
                .append(f.age(t)).append("</span>"));
        out.append(", healthy ").append(sub.healthyServers()).append(" of ").append(sub.realServers().size())
                .append("</td><td class=\"check\">503s ").append(sub.rejected())
                .append(" · sorry ").append(sub.sorry())
                .append(" · persistence ").append(sub.persistenceEntries())
                .append("</td><td class=\"num weight\"></td><td class=\"state\"></td>");
        ServerRowHtml.rates(out, f, key);
        long active = 0;
        long in = 0;
        long outBytes = 0;
        long failures = sub.rejected();
        for (RealServerStats r : sub.realServers()) {
            active += r.activeConnections();
            in += r.bytesIn();
            outBytes += r.bytesOut();
            failures += r.failures();
        }
        out.append("<td class=\"num active\">").append(active).append("</td><td class=\"num queued\" title=\"")
                .append(sub.queuedTotal()).append(" ever queued\">").append(sub.waiting())
                .append("</td><td class=\"num total\">").append(Readable.count(sub.totalRequests())).append("</td>");
        ServerRowHtml.traffic(out, f, key, in, outBytes);
        out.append("<td class=\"num redispatches\" title=\"retries / redispatches\">").append(f.retries(key))
                .append(" / ").append(f.redispatches(key))
                .append("</td><td class=\"num failures\" title=\"server failures and 503 answers\">").append(failures)
                .append("</td><td></td></tr>\n");
        for (RealServerStats r : servers) {
            ServerRowHtml.render(out, vs, sub.name(), r, control.findLastProbe(vs, sub.name(), r.name()), f);
        }
        out.append("</tbody>\n");
    }

    /** A pool state as a CSS class word: letters only. */
    static String cssWord(String state) {
        return state.chars().allMatch(c -> c >= 'a' && c <= 'z') ? state : "other";
    }
}
