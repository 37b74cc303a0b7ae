package dev.switchboard.engine.internal.lease;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.Target;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * A forward decision and its lease in one object (one allocation per request). Release is idempotent: the first
 * call returns the slot, later calls do nothing. Thread-safe. Not final only for {@link CookieForward}, which
 * carries the request's cookies to the response that re-issues the active cookie: that is rare (a first visit,
 * a refresh, a move), so every other request's lease stays one object of 72 bytes.
 */
public class EngineForward implements Decision.Forward {

    /** What a lease reports to when it ends or sees a response; implemented by the compiled sub-service. */
    public interface Owner {
        /**
         * Response edits for the rules selected by {@code mask}, plus what persistence does with the response of
         * server {@code index} ({@code flags}: {@link EngineForward#INSERT_COOKIE}, {@link EngineForward#SECURE});
         * {@code requestCookies} is the request's Cookie header when the cookie is to be inserted, else null.
         */
        List<HeaderEdit> responseEdits(ResponseView response, long mask, int index, int flags, String requestCookies);

        /** Server {@code index} chose TLS session {@code sessionId}. */
        void learnTlsSession(int index, String sessionId);

        /** The lease on server {@code index} became a tunnel ({@code +1}) or its tunnel closed ({@code -1}). */
        default void tunnel(int index, int delta) {
        }

        /**
         * The lease on server {@code index} has ended; {@code primaryKey}/{@code fallbackKey} are the persistence
         * keys it was dispatched with ({@code Keys.NO_KEY} when none), so that a failed connection can drop them.
         */
        void released(int index, Outcome outcome, long primaryKey, long fallbackKey);
    }

    private static final VarHandle RELEASED;

    static {
        try {
            RELEASED = MethodHandles.lookup().findVarHandle(EngineForward.class, "released", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final int LIVE = 0;
    private static final int RELEASED_STATE = 1;
    private static final int TUNNEL = 2;

    /** Index value for a lease that holds no slot (sorry server, explain, layer 4 sorry). */
    public static final int NO_SLOT = -1;
    /** Flag: the response must (re-)insert the active persistence cookie. */
    public static final int INSERT_COOKIE = 1;
    /** Flag: the client spoke HTTPS (the cookie gets Secure). */
    public static final int SECURE = 2;

    private final Target target;
    private final String path;
    private final String query;
    private final String host;
    private final List<HeaderEdit> edits;
    private final Owner owner;
    private final int index;
    private final long responseMask;
    private final int flags;
    private final long primaryKey;
    private final long fallbackKey;
    /** {@code LIVE}, {@code TUNNEL} (still held, counted as an open tunnel) or {@code RELEASED_STATE}. */
    @SuppressWarnings("unused") // written through RELEASED
    private volatile int released;

    public EngineForward(Target target, String path, String query, String host, List<HeaderEdit> edits,
            Owner owner, int index, long responseMask, int flags, long primaryKey, long fallbackKey) {
        this.target = target;
        this.path = path;
        this.query = query;
        this.host = host;
        this.edits = edits;
        this.owner = owner;
        this.index = index;
        this.responseMask = responseMask;
        this.flags = flags;
        this.primaryKey = primaryKey;
        this.fallbackKey = fallbackKey;
    }

    /**
     * The forward of a request: a {@link CookieForward} keeping {@code requestCookies} (the request's Cookie
     * header, or null) when the response inserts the active cookie and the request had cookies, so that the other
     * owners' entries are carried over; else a plain one.
     */
    public static EngineForward of(Target target, String path, String query, String host, List<HeaderEdit> edits,
            Owner owner, int index, long responseMask, int flags, long primaryKey, long fallbackKey,
            String requestCookies) {
        if ((flags & INSERT_COOKIE) != 0 && requestCookies != null) {
            return new CookieForward(target, path, query, host, edits, owner, index, responseMask, flags, primaryKey,
                    fallbackKey, requestCookies);
        }
        return new EngineForward(target, path, query, host, edits, owner, index, responseMask, flags, primaryKey,
                fallbackKey);
    }

    /** The request's Cookie header when the response inserts the active cookie; null here. */
    String requestCookies() {
        return null;
    }

    @Override
    public final Target target() {
        return target;
    }

    @Override
    public final String path() {
        return path;
    }

    @Override
    public final String query() {
        return query;
    }

    @Override
    public final String host() {
        return host;
    }

    @Override
    public final List<HeaderEdit> requestEdits() {
        return edits;
    }

    @Override
    public final List<HeaderEdit> onResponse(ResponseView response) {
        return owner.responseEdits(response, responseMask, index, flags, requestCookies());
    }

    @Override
    public final void onTlsSession(String sessionId) {
        if (index != NO_SLOT && released != RELEASED_STATE) {
            owner.learnTlsSession(index, sessionId);
        }
    }

    @Override
    public final void onTunnel() {
        if (RELEASED.compareAndSet(this, LIVE, TUNNEL) && index != NO_SLOT) {
            owner.tunnel(index, 1);
        }
    }

    @Override
    public final void release(Outcome outcome) {
        int was = (int) RELEASED.getAndSet(this, RELEASED_STATE);
        if (was != RELEASED_STATE && index != NO_SLOT) {
            if (was == TUNNEL) {
                owner.tunnel(index, -1);
            }
            owner.released(index, outcome, primaryKey, fallbackKey);
        }
    }

    @Override
    public final boolean isReleased() {
        return released == RELEASED_STATE;
    }

    @Override
    public final String toString() {
        return "Forward[" + target.virtualService() + "/" + target.subService() + " -> " + target.server() + " "
                + target.address() + " " + host + path + (query.isEmpty() ? "" : "?" + query) + "]";
    }
}
