package dev.switchboard.examples.gateway;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.event.EventKind;
import dev.switchboard.config.ConfigFileException;
import dev.switchboard.engine.EventHistory;

import java.util.List;

/** Records a refused reload in the event history: one {@code configuration-error} event listing what was wrong. */
final class ReloadEvents {

    /** At most this many errors are named in one event; the rest are counted. */
    private static final int MAX_ERRORS = 5;

    private ReloadEvents() {
    }

    static void refused(EventHistory events, RuntimeException e) {
        List<String> errors = e instanceof ConfigFileException f ? f.errors()
                : e instanceof ConfigurationException c ? c.violations().stream().map(Object::toString).toList()
                : List.of(String.valueOf(e.getMessage()));
        StringBuilder reason = new StringBuilder("reload refused: ");
        reason.append(String.join("; ", errors.subList(0, Math.min(MAX_ERRORS, errors.size()))));
        if (errors.size() > MAX_ERRORS) {
            reason.append("; and ").append(errors.size() - MAX_ERRORS).append(" more");
        }
        events.record(EventKind.CONFIGURATION_ERROR, "", "", "", "", "", reason.toString());
    }
}
