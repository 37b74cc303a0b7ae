package dev.switchboard.engine.internal.lease;

import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Target;
import java.util.List;

/**
 * A forward whose response re-issues the active persistence cookie: it also keeps the request's Cookie header, so
 * that the new cookie value carries the entries of the other sub-services the client holds. Made only by
 * {@link EngineForward#of}. Thread-safe.
 */
final class CookieForward extends EngineForward {

    private final String requestCookies;

    CookieForward(Target target, String path, String query, String host, List<HeaderEdit> edits, Owner owner,
            int index, long responseMask, int flags, long primaryKey, long fallbackKey, String requestCookies) {
        super(target, path, query, host, edits, owner, index, responseMask, flags, primaryKey, fallbackKey);
        this.requestCookies = requestCookies;
    }

    @Override
    String requestCookies() {
        return requestCookies;
    }
}
