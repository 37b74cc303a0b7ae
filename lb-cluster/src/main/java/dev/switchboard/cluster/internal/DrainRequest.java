package dev.switchboard.cluster.internal;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * One drain this member asked the others for: the members it waits for (the others present when the change was
 * made) and the future it completes: true when every one of them answered "drained" or left, false at the first
 * "not drained" (or, from outside, at the deadline). Thread-safe; the future is completed outside the lock, so its
 * callbacks never run under it.
 */
final class DrainRequest {

    private final Set<UUID> awaited;
    private final CompletableFuture<Boolean> result;

    DrainRequest(Set<UUID> awaited, CompletableFuture<Boolean> result) {
        this.awaited = new HashSet<>(awaited);
        this.result = result;
    }

    CompletableFuture<Boolean> result() {
        return result;
    }

    /** {@code member} answered; an answer from a member not waited for (or a second one) changes nothing. */
    void answered(UUID member, boolean drained) {
        boolean done;
        synchronized (this) {
            if (!awaited.remove(member)) {
                return;
            }
            done = !drained || awaited.isEmpty();
        }
        if (done) {
            result.complete(drained);
        }
    }

    /** {@code member} left the cluster: it is not waited for any more. */
    void left(UUID member) {
        boolean done;
        synchronized (this) {
            done = awaited.remove(member) && awaited.isEmpty();
        }
        if (done) {
            result.complete(true);
        }
    }

    /** Stops waiting for every member not in {@code present} (those that left before the request was registered). */
    void retain(Set<UUID> present) {
        Set<UUID> gone;
        synchronized (this) {
            gone = new HashSet<>(awaited);
            gone.removeAll(present);
        }
        gone.forEach(this::left);
    }
}
