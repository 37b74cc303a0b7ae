package dev.switchboard.engine.internal.auth;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import java.util.List;

/** What pre-authentication decided for one request: answer it now, or let it go on with these edits. */
public sealed interface AuthStep {

    /** Answer the request with {@code decision} (a challenge, a 400, or a check of credentials). */
    record Answer(Decision decision) implements AuthStep {
    }

    /**
     * Let it go on as {@code user} (empty on an exempt path), with {@code edits} added to the request, and {@code
     * refreshed} (a new SSO cookie value, or empty) to be set on the response.
     */
    record Pass(String user, String refreshed, List<HeaderEdit> edits) implements AuthStep {
    }
}
