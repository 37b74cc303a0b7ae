package dev.switchboard.engine.internal.auth;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A forward that pre-authentication let through as a user: the engine's forward (and lease) with the user, and the
 * refreshed SSO cookie added to the response when its idle time moved on. Made only for sub-services that
 * authenticate, so the others' forwards stay one object. Thread-safe as the forward it wraps.
 */
public final class AuthenticatedForward implements Decision.Forward {

    private final Decision.Forward forward;
    private final String user;
    private final String setCookie;

    private AuthenticatedForward(Decision.Forward forward, String user, String setCookie) {
        this.forward = forward;
        this.user = user;
        this.setCookie = setCookie;
    }

    /**
     * {@code decision} carrying {@code user} (empty: the wrapped forward's) and {@code setCookie} (a {@code Set-Cookie}
     * value, or empty; several wrappers add one each): a forward
     * is wrapped, a queued one is wrapped when it completes (cancelling the returned future cancels the engine's,
     * and a forward that arrives after that is released), anything else is returned as it is.
     */
    public static Decision of(Decision decision, String user, String setCookie) {
        if (user.isEmpty() && setCookie.isEmpty()) {
            return decision;
        }
        if (decision instanceof Decision.Forward f) {
            return new AuthenticatedForward(f, user, setCookie);
        }
        if (decision instanceof Decision.Queued q) {
            CompletableFuture<Decision> outer = new CompletableFuture<>();
            q.future().whenComplete((d, e) -> {
                Decision wrapped = d == null ? Decision.Respond.unavailable("queue failed", 1) : of(d, user, setCookie);
                if (!outer.complete(wrapped) && d instanceof Decision.Forward late) {
                    late.release(Outcome.ofFailure(Outcome.Failure.CANCELLED, 0));
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
        return user.isEmpty() ? forward.authenticatedUser() : user;
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
        if (setCookie.isEmpty()) {
            return edits;
        }
        List<HeaderEdit> all = new ArrayList<>(edits.size() + 1);
        all.addAll(edits);
        all.add(HeaderEdit.add("Set-Cookie", setCookie));
        return List.copyOf(all);
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
        return forward + " as " + user;
    }
}
