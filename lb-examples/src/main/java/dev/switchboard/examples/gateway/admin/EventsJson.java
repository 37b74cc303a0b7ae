package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.event.RecordedEvent;
import dev.switchboard.engine.EventHistory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /api/events[?since=ISO-8601]}: {@code {"events": [{"time", "kind", "virtualService", "subService",
 * "realServer", "from", "to", "reason"}]}}, oldest first and newest last; a field that does not apply to an event is
 * left out (never {@code null} or empty). {@code since} keeps the events recorded strictly after that instant, so a
 * poller passes the {@code time} of the last event it has; it is an instant with {@code Z} or an offset
 * ({@code 2026-12-06T17:00:00Z}, {@code 2026-12-06T18:00:00%2B01:00}: a {@code +} in a query must be written
 * {@code %2B}). Anything else is a 400 naming the parameter and the value. Stateless.
 */
final class EventsJson {

    static final String EXPECTED_SINCE = "an ISO-8601 instant such as 2026-12-06T17:00:00Z or"
            + " 2026-12-06T18:00:00%2B01:00";

    private EventsJson() {
    }

    static AdminResponse render(Optional<EventHistory> history, Map<String, List<String>> params) {
        Instant since = since(params);
        ObjectNode out = AdminResponse.JSON.createObjectNode();
        ArrayNode events = out.putArray("events");
        if (history.isPresent()) {
            for (RecordedEvent e : history.get().since(since)) {
                ObjectNode node = events.addObject();
                node.put("time", e.time().toString());
                node.put("kind", e.kind().configName());
                put(node, "virtualService", e.virtualService());
                put(node, "subService", e.subService());
                put(node, "realServer", e.realServer());
                put(node, "from", e.from());
                put(node, "to", e.to());
                put(node, "reason", e.reason());
            }
        }
        return AdminResponse.json(200, out);
    }

    private static void put(ObjectNode node, String key, String value) {
        if (!value.isEmpty()) {
            node.put(key, value);
        }
    }

    /**
     * The {@code since} parameter; {@link Instant#MIN} when absent.
     *
     * @throws AdminError 400 {@code since: VALUE (expected: ...)} when it is not one instant
     */
    static Instant since(Map<String, List<String>> params) {
        List<String> values = params.getOrDefault("since", List.of());
        if (values.isEmpty()) {
            return Instant.MIN;
        }
        if (values.size() > 1) {
            throw AdminError.badRequest("since: " + String.join(", ", values) + " (expected: one value, "
                    + EXPECTED_SINCE + ")");
        }
        String text = values.get(0);
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw AdminError.badRequest("since: " + text + " (expected: " + EXPECTED_SINCE + ")");
        }
    }
}
