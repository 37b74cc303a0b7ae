package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * The stats page's fleet section, rendered from the tree of {@code GET /api/stats?scope=cluster}
 * ({@link FleetStatsJson}): the members with their liveness, then per virtual service and sub-service a row per real
 * server with the fleet's sums and a row per live member with its state, health and counters. A real server whose
 * members disagree on health or state is marked in words and by the class {@code disagree}. Plain HTML; every value
 * goes through {@link Html#escape}. Stateless.
 */
final class FleetStatsHtml {

    private static final int COLUMNS = 8;

    private FleetStatsHtml() {
    }

    static String render(JsonNode fleet) {
        StringBuilder out = new StringBuilder(4096);
        JsonNode members = fleet.path("members");
        long live = 0;
        for (JsonNode m : members) {
            live += m.path("alive").asBoolean() ? 1 : 0;
        }
        out.append("<section class=\"fleet\" id=\"fleet\">\n<h2>Fleet <span class=\"meta\">").append(live)
                .append(" live of ").append(members.size()).append(" members · counters summed over live members · ")
                .append(fleet.path("healthDisagreements").asLong()).append(" health disagreements</span></h2>\n");
        members(out, members);
        out.append("<table class=\"fleet-servers\">\n<thead><tr><th>real server</th><th>member</th><th>state</th>"
                + "<th>health</th><th>req/s</th><th>active</th><th>total</th><th>failures</th></tr></thead>\n");
        for (JsonNode vs : fleet.path("virtualServices")) {
            for (JsonNode sub : vs.path("subServices")) {
                subService(out, vs.path("name").asText(), sub);
            }
        }
        out.append("</table>\n</section>\n");
        return out.toString();
    }

    private static void members(StringBuilder out, JsonNode members) {
        out.append("<table class=\"members\">\n<thead><tr><th>member</th><th>alive</th><th>stats age</th></tr></thead>"
                + "\n<tbody>\n");
        for (JsonNode m : members) {
            boolean alive = m.path("alive").asBoolean();
            boolean self = m.path("self").asBoolean();
            out.append("<tr class=\"member ").append(alive ? "alive" : "gone").append(self ? " self" : "")
                    .append("\" data-member=\"").append(Html.escape(m.path("name").asText())).append("\"><td>")
                    .append(Html.escape(m.path("name").asText())).append(self ? " (this member)" : "")
                    .append("</td><td>").append(alive ? "alive" : "<strong>gone</strong> (not summed)")
                    .append("</td><td class=\"num\">");
            if (m.has("error")) {
                out.append(Html.escape(m.path("error").asText()));
            } else {
                out.append(m.path("ageMillis").asLong()).append(" ms");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody>\n</table>\n");
    }

    private static void subService(StringBuilder out, String vs, JsonNode sub) {
        out.append("<tbody class=\"sub\" data-vs=\"").append(Html.escape(vs)).append("\" data-sub=\"")
                .append(Html.escape(sub.path("name").asText())).append("\">\n<tr class=\"sub-head\"><th colspan=\"")
                .append(COLUMNS).append("\">").append(Html.escape(vs)).append(" / sub-service ")
                .append(Html.escape(sub.path("name").asText())).append(" — fleet total ")
                .append(sub.path("totalRequests").asLong()).append(", waiting ").append(sub.path("waiting").asLong())
                .append("</th></tr>\n");
        for (JsonNode r : sub.path("realServers")) {
            server(out, r);
        }
        out.append("</tbody>\n");
    }

    private static void server(StringBuilder out, JsonNode r) {
        boolean agrees = r.path("healthAgrees").asBoolean(true) && r.path("stateAgrees").asBoolean(true);
        JsonNode by = r.path("byMember");
        out.append("<tr class=\"fleet-server").append(agrees ? "" : " disagree").append("\" data-server=\"")
                .append(Html.escape(r.path("name").asText())).append("\"><td class=\"name\" rowspan=\"")
                .append(by.size() + 1).append("\">").append(Html.escape(r.path("name").asText()));
        if (!agrees) {
            out.append(" <strong class=\"disagree-mark\">members disagree</strong>");
        }
        out.append("</td><td>fleet</td><td class=\"state\">")
                .append(r.path("stateAgrees").asBoolean(true) ? Html.escape(r.path("state").asText()) : "mixed")
                .append("</td><td class=\"health\">")
                .append(r.path("healthAgrees").asBoolean(true) ? Html.escape(r.path("health").asText()) : "mixed");
        counters(out, r);
        for (Iterator<Map.Entry<String, JsonNode>> it = by.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            JsonNode mine = m.getValue();
            boolean down = mine.path("health").asText().equals("down");
            out.append("<tr class=\"by-member").append(down ? " down" : "").append(agrees ? "" : " disagree")
                    .append("\" data-member=\"").append(Html.escape(m.getKey())).append("\"><td class=\"member\">")
                    .append(Html.escape(m.getKey())).append("</td><td class=\"state\">")
                    .append(Html.escape(mine.path("state").asText())).append("</td><td class=\"health\">")
                    .append(down ? "<strong>DOWN</strong>" : Html.escape(mine.path("health").asText()));
            String reason = mine.path("healthReason").asText();
            if (!reason.isEmpty()) {
                out.append(" <span class=\"reason\">(").append(Html.escape(reason)).append(")</span>");
            }
            counters(out, mine);
        }
    }

    private static void counters(StringBuilder out, JsonNode n) {
        out.append("</td><td class=\"num rate\">").append(Readable.rate(n.path("rate").path("current").asDouble()))
                .append("</td><td class=\"num active\">").append(n.path("activeConnections").asLong())
                .append("</td><td class=\"num total\">").append(n.path("totalRequests").asLong())
                .append("</td><td class=\"num failures\">").append(n.path("failures").asLong()).append("</td></tr>\n");
    }
}
