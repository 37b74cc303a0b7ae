package dev.switchboard.engine.internal.lease;

import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A request waiting for a connection slot: what its forward decision will carry once a server is picked, and its
 * timeout task. Identity equality (a queue removes exactly this waiter).
 */
public final class Waiter {

    private final CompletableFuture<Decision> future = new CompletableFuture<>();
    private final String path;
    private final String query;
    private final String host;
    private final List<HeaderEdit> edits;
    private final long responseMask;
    private final long hash;
    private final Affinity affinity;
    private volatile Future<?> timeout;

    public Waiter(String path, String query, String host, List<HeaderEdit> edits, long responseMask, long hash,
            Affinity affinity) {
        this.path = path;
        this.query = query;
        this.host = host;
        this.edits = edits;
        this.responseMask = responseMask;
        this.hash = hash;
        this.affinity = affinity;
    }

    /** The persistence keys of the request. */
    public Affinity affinity() {
        return affinity;
    }

    public CompletableFuture<Decision> future() {
        return future;
    }

    public String path() {
        return path;
    }

    public String query() {
        return query;
    }

    public String host() {
        return host;
    }

    public List<HeaderEdit> edits() {
        return edits;
    }

    public long responseMask() {
        return responseMask;
    }

    public long hash() {
        return hash;
    }

    /** Remembers the timeout task so that serving the waiter can cancel it. */
    public void timeout(Future<?> task) {
        this.timeout = task;
    }

    /** Cancels the timeout task, if any. */
    public void cancelTimeout() {
        Future<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
    }
}
