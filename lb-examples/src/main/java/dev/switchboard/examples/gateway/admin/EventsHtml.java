package dev.switchboard.examples.gateway.admin;

import dev.switchboard.api.event.RecordedEvent;
import dev.switchboard.engine.EventHistory;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The stats page's "Recent events" section: the last {@value #SHOWN} events of the history, newest first, each
 * with its time (UTC), kind, where, the change as text ({@code up → down}) and the reason. Every value goes
 * through {@link Html#escape}. Stateless.
 */
final class EventsHtml {

    static final int SHOWN = 20;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private EventsHtml() {
    }

    static String render(Optional<EventHistory> history) {
        return render(history, Instant.now());
    }

    /** @param now the page's "now", for each event's age ({@code 3m12s ago}) */
    static String render(Optional<EventHistory> history, Instant now) {
        if (history.isEmpty()) {
            return "";
        }
        List<RecordedEvent> all = history.get().events();
        StringBuilder out = new StringBuilder(2048).append("<section class=\"events\">\n<h2>Recent events")
                .append(" <span class=\"meta\">").append(Math.min(SHOWN, all.size())).append(" of ")
                .append(history.get().recorded()).append(" recorded, newest first · GET /api/events</span></h2>\n");
        if (all.isEmpty()) {
            return out.append("<p>No state changes since the start.</p>\n</section>\n").toString();
        }
        out.append("<table>\n<thead><tr><th>time</th><th>event</th><th>where</th><th>change</th><th>reason</th>"
                + "</tr></thead>\n<tbody>\n");
        for (int i = all.size() - 1; i >= Math.max(0, all.size() - SHOWN); i--) {
            row(out, all.get(i), now);
        }
        return out.append("</tbody>\n</table>\n</section>\n").toString();
    }

    private static void row(StringBuilder out, RecordedEvent e, Instant now) {
        String where = Stream.of(e.virtualService(), e.subService(), e.realServer()).filter(s -> !s.isEmpty())
                .collect(Collectors.joining("/"));
        String change = e.from().isEmpty() && e.to().isEmpty() ? ""
                : (e.from().isEmpty() ? "?" : e.from()) + " → " + e.to();
        out.append("<tr class=\"event kind-").append(e.kind().configName()).append(" to-")
                .append(SubServiceHtml.cssWord(e.to())).append("\"><td class=\"time\">")
                .append(TIME.format(e.time())).append(" <span class=\"age\">(")
                .append(Readable.duration(Duration.between(e.time(), now))).append(" ago)</span>")
                .append("</td><td class=\"kind\">").append(e.kind().configName())
                .append("</td><td class=\"where\">").append(Html.escape(where))
                .append("</td><td class=\"change\">").append(Html.escape(change))
                .append("</td><td class=\"reason\">").append(Html.escape(e.reason())).append("</td></tr>\n");
    }
}
