package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.AdminState;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

/** The body of the state PUTs, {@code {"state": "draining"}}, checked strictly. */
final class StateChange {

    private static final String EXPECTED = "{\"state\": \"enabled|draining|disabled\"}";

    private StateChange() {
    }

    /**
     * @throws AdminError 400 naming the field and the value when the body is empty, not JSON, not an object, has
     *                    another field, or a state that is not one of the three
     */
    static AdminState parse(byte[] body) {
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
            if (!name.equals("state")) {
                throw AdminError.badRequest("body." + name + ": unknown field (expected: only state)");
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
            return AdminState.parse(state.textValue());
        } catch (IllegalArgumentException e) {
            throw AdminError.badRequest(e.getMessage());
        }
    }

    private static String text(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
