package dev.switchboard.netty.internal.http;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A forward after a login the directory just accepted (a Basic check): the engine's forward, with the new SSO
 * cookie added to the real server's response so that the client's next requests need no check. Thread-safe as the
 * forward it wraps.
 */
final class SessionCookieForward implements Decision.Forward {

    private final Decision.Forward forward;
    private final String setCookie;

    private SessionCookieForward(Decision.Forward forward, String setCookie) {
        this.forward = forward;
        this.setCookie = setCookie;
    }

    /** {@code decision} with {@code setCookie} (a {@code Set-Cookie} value) on its response; as it is when empty. */
    static Decision of(Decision decision, String setCookie) {
        if (setCookie.isEmpty()) {
            return decision;
        }
        if (decision instanceof Decision.Forward f) {
            return new SessionCookieForward(f, setCookie);
        }
        if (decision instanceof Decision.Queued q) {
            CompletableFuture<Decision> outer = new CompletableFuture<>();
            q.future().whenComplete((d, e) -> {
                Decision wrapped = d == null ? Decision.Respond.unavailable("queue failed", 1) : of(d, setCookie);
                if (!outer.complete(wrapped) && d instanceof Decision.Forward late) {
                    late.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0)); // the client went away
                }
            });
            outer.whenComplete((d, e) -> {
                if (outer.isCancelled()) {
                    q.future().cancel(false);
                }
            });
            return new Decision.Queued(outer);
        }
        return decision;
    }

    @Override
    public String authenticatedUser() {
        return forward.authenticatedUser();
    }

    @Override
    public Target target() {
        return forward.target();
    }

    @Override
    public String path() {
        return forward.path();
    }

    @Override
    public String query() {
        return forward.query();
    }

    @Override
    public String host() {
        return forward.host();
    }

    @Override
    public List<HeaderEdit> requestEdits() {
        return forward.requestEdits();
    }

    @Override
    public List<HeaderEdit> onResponse(ResponseView response) {
        List<HeaderEdit> edits = forward.onResponse(response);
        List<HeaderEdit> all = new ArrayList<>(edits.size() + 1);
        all.addAll(edits);
        all.add(HeaderEdit.add("Set-Cookie", setCookie));
        return all;
    }

    @Override
    public void onTlsSession(String sessionId) {
        forward.onTlsSession(sessionId);
    }

    @Override
    public void onTunnel() {
        forward.onTunnel();
    }

    @Override
    public void release(Outcome outcome) {
        forward.release(outcome);
    }

    @Override
    public boolean isReleased() {
        return forward.isReleased();
    }

    @Override
    public String toString() {
        return forward + " with a new SSO cookie";
    }
}
