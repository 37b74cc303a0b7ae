package dev.switchboard.examples.gateway.admin;

import dev.switchboard.engine.EngineStats;
import dev.switchboard.engine.RealServerStats;
import dev.switchboard.engine.SubServiceStats;
import dev.switchboard.engine.VirtualServiceStats;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders the stats tree as the HTML tables of the stats page: per virtual service a heading with its rates, its
 * pre-authentication figures when it authenticates ({@link AuthenticationFigures}), and a table with a summary row
 * per sub-service ({@link SubServiceHtml}) and a row per real server ({@link ServerRowHtml}),
 * filtered and sorted as the {@link PageQuery} says; then a table of hosts (every entry of one server name). Every
 * value from the model or the health checker goes through {@link Html#escape}. Stateless.
 */
final class StatsHtml {

    /** A sub-service shown, with the servers of it the filter keeps (all of them, without a filter). */
    private record Shown(SubServiceStats sub, List<RealServerStats> servers) {
    }

    private StatsHtml() {
    }

    /** The whole tree, in configuration order, without rates (no sampler). */
    static String render(EngineStats stats, GatewayControl control) {
        return render(stats, control, PageFigures.none(stats), PageQuery.ALL);
    }

    static String render(EngineStats stats, GatewayControl control, PageFigures f, PageQuery q) {
        StringBuilder out = new StringBuilder(8192);
        if (stats.virtualServices().isEmpty()) {
            out.append("<p>No virtual services are configured.</p>\n");
        }
        Set<String> hosts = new LinkedHashSet<>();
        int shown = 0;
        for (VirtualServiceStats vs : sorted(stats.virtualServices(), q, VirtualServiceStats::name,
                v -> SampleKey.of(v.name()), v -> v.subServices().stream().mapToLong(StatsHtml::errors).sum(), f)) {
            boolean whole = q.matches(vs.name());
            List<Shown> subs = new ArrayList<>();
            for (SubServiceStats sub : vs.subServices()) {
                boolean subWhole = whole || q.matches(sub.name());
                List<RealServerStats> servers = sub.realServers().stream()
                        .filter(r -> subWhole || q.matches(r.name())).toList();
                if (subWhole || !servers.isEmpty()) {
                    subs.add(new Shown(sub, servers));
                }
            }
            if (!whole && subs.isEmpty()) {
                continue;
            }
            shown++;
            virtualService(out, vs, subs, control, f, q);
            subs.forEach(s -> s.servers().forEach(r -> hosts.add(r.name())));
        }
        if (shown == 0 && !stats.virtualServices().isEmpty()) {
            out.append("<p class=\"no-match\">No virtual service, sub-service or real server name contains “")
                    .append(Html.escape(q.filter())).append("”.</p>\n");
        }
        hosts(out, hosts);
        return out.toString();
    }

    private static void virtualService(StringBuilder out, VirtualServiceStats vs, List<Shown> subs,
            GatewayControl control, PageFigures f, PageQuery q) {
        SampleKey key = SampleKey.of(vs.name());
        out.append("<section class=\"vs\" data-vs=\"").append(Html.escape(vs.name())).append("\">\n<h2>")
                .append(Html.escape(vs.name())).append(" <span class=\"meta\">")
                .append(vs.protocol().name().toLowerCase(Locale.ROOT))
                .append(" · <span class=\"vs-rate\">").append(Readable.rate(f.rate(key))).append("</span> now, max ")
                .append(Readable.rate(f.maxRate(key))).append(" in the last minute")
                .append(" · total ").append(Readable.count(vs.totalRequests()))
                .append(" · active ").append(vs.activeConnections())
                .append(" · rejected ").append(vs.rejected())
                .append(" · persistence entries <span class=\"persistence\">").append(vs.persistenceEntries())
                .append("</span></span></h2>\n");
        if (AuthenticationFigures.authenticates(control.engine().model(), vs.name())) {
            AuthenticationFigures.html(out, vs.authentication());
        }
        out.append("<table class=\"stats\">\n").append(ServerRowHtml.HEAD);
        for (Shown shown : sorted(subs, q, s -> s.sub().name(), s -> SampleKey.of(vs.name(), s.sub().name()),
                s -> errors(s.sub()), f)) {
            SubServiceStats sub = shown.sub();
            SubServiceHtml.render(out, vs.name(), sub, sorted(shown.servers(), q, RealServerStats::name,
                    r -> new SampleKey(vs.name(), sub.name(), r.name()), RealServerStats::failures, f), control, f);
        }
        out.append("</table>\n</section>\n");
    }

    private static long errors(SubServiceStats sub) {
        return sub.rejected() + sub.realServers().stream().mapToLong(RealServerStats::failures).sum();
    }

    private static <T> List<T> sorted(List<T> items, PageQuery q, Function<T, String> name,
            Function<T, SampleKey> key, java.util.function.ToLongFunction<T> errors, PageFigures f) {
        Comparator<T> byName = Comparator.comparing(name);
        Comparator<T> order = switch (q.sort()) {
            case CONFIG -> null;
            case NAME -> byName;
            case NAME_DESC -> byName.reversed();
            case RATE -> Comparator.<T>comparingDouble(t -> f.rate(key.apply(t))).reversed().thenComparing(byName);
            case ERRORS -> Comparator.comparingLong(errors).reversed().thenComparing(byName);
        };
        return order == null ? items : items.stream().sorted(order).toList();
    }

    private static void hosts(StringBuilder out, Set<String> hosts) {
        if (hosts.isEmpty()) {
            return;
        }
        out.append("<section class=\"hosts\">\n<h2>Hosts <span class=\"meta\">every entry of a real server name,"
                + " in every sub-service</span></h2>\n<table class=\"hosts\">\n<thead><tr><th>real server</th>"
                + "<th>set state everywhere</th></tr></thead>\n<tbody>\n");
        for (String host : hosts) {
            out.append("<tr class=\"host\" data-server=\"").append(Html.escape(host)).append("\"><td class=\"name\">")
                    .append(Html.escape(host)).append("</td><td class=\"actions\">");
            ServerRowHtml.buttons(out, "host", "");
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n</section>\n");
    }
}
