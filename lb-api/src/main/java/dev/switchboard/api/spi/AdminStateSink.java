package dev.switchboard.api.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The engine's side of {@link Fleet#attach}: applies an admin state that an operator set on another member, without
 * shipping it again. Thread-safe; may be called from any thread; never throws (a failure is logged and reported as
 * false).
 *
 * <pre>{@code
 * sink.apply(AdminStateChange.host("ex01", AdminState.DRAINING), Duration.ofMinutes(5))
 *     .thenAccept(drained -> ack(requestId, drained));
 * }</pre>
 */
@FunctionalInterface
public interface AdminStateSink {

    /**
     * Applies {@code change} here.
     *
     * @return a stage that completes with true when the servers concerned have no active leases on this member (at
     *         once for {@code ENABLED}), with false when {@code drainDeadline} passes first; completed with false at
     *         once when this member's configuration has no such server; never completes exceptionally
     */
    CompletionStage<Boolean> apply(AdminStateChange change, Duration drainDeadline);

    /**
     * Whether this member's configuration has a real server {@code change} names, so that a fleet can tell a member
     * that has none (it sends nothing there: drained, trivially) from one whose drain timed out. The default
     * answers true.
     */
    default boolean concerns(AdminStateChange change) {
        return true;
    }
}
