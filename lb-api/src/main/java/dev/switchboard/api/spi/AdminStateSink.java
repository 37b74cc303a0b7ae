package dev.switchboard.api.spi;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * The engine's side of {@link Fleet#attach}: applies an admin state that an operator set on another member, without
 * shipping it again. Thread-safe; may be called from any thread.
 */
@FunctionalInterface
public interface AdminStateSink {

    /**
     * Applies {@code change} here.
     *
     * @return a stage that completes with true when the servers concerned have no active leases on this member (at
     *         once for {@code ENABLED}), with false when {@code drainDeadline} passes first; completed with false at
     *         once when this member's configuration has no such server
     */
    CompletionStage<Boolean> apply(AdminStateChange change, Duration drainDeadline);
}
