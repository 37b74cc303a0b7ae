package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.AdminState;
import dev.switchboard.config.Durations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;

/**
 * The body of the state PUTs, {@code {"state": "draining", "wait": "5m"}}, checked strictly. Immutable.
 *
 * @param state the admin state to set
 * @param maxWait how long the answer may wait for the drain to finish; {@link Duration#ZERO} (no {@code wait} field)
 *              answers at once
 */
record StateChange(AdminState state, Duration maxWait) {

    /** The longest {@code wait}: as long as the drain itself is followed. */
    static final Duration MAX_WAIT = Duration.ofHours(1);

    private static final String EXPECTED = "{\"state\": \"enabled|draining|disabled\", \"wait\": \"30s\" (optional)}";

    StateChange {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(maxWait, "maxWait");
    }

    /**
     * @throws AdminError 400 naming the field and the value when the body is empty, not JSON, not an object, has
     *                    another field, a state that is not one of the three, or a wait that is not a duration of
     *                    at most {@link #MAX_WAIT}
     */
    static StateChange parse(byte[] body) {
        if (body.length == 0) {
            throw AdminError.badRequest("body: empty (expected: " + EXPECTED + ")");
        }
        JsonNode node;
        try {
            node = AdminResponse.JSON.readTree(body);
        } catch (JacksonException e) {
            throw AdminError.badRequest("body: not JSON: " + e.getOriginalMessage() + " (expected: " + EXPECTED + ")");
        } catch (IOException e) {
            throw AdminError.badRequest("body: unreadable (expected: " + EXPECTED + ")");
        }
        if (node == null || !node.isObject()) {
            throw AdminError.badRequest("body: " + text(body) + " (expected: " + EXPECTED + ")");
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("state") && !name.equals("wait")) {
                throw AdminError.badRequest("body." + name + ": unknown field (expected: only state and wait)");
            }
        }
        JsonNode state = node.get("state");
        if (state == null) {
            throw AdminError.badRequest("state: missing (expected: enabled, draining, disabled)");
        }
        if (!state.isTextual()) {
            throw AdminError.badRequest("state: " + state + " (expected: enabled, draining, disabled)");
        }
        try {
            return new StateChange(AdminState.parse(state.textValue()), parseWait(node.get("wait")));
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest(e.getMessage());
        }
    }

    private static Duration parseWait(JsonNode wait) {
        if (wait == null) {
            return Duration.ZERO;
        }
        if (!wait.isTextual()) {
            throw AdminError.badRequest("wait: " + wait + " (expected: a duration text such as \"30s\" or \"5m\","
                    + " at most 1h)");
        }
        Duration d;
        try {
            d = Durations.parse(wait.textValue());
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest("wait: " + e.getMessage());
        }
        if (d.compareTo(MAX_WAIT) > 0) {
            throw AdminError.badRequest("wait: " + wait.textValue() + " (expected: at most 1h)");
        }
        return d;
    }

    private static String text(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
