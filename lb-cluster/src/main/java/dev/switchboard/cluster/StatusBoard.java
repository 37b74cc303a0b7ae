package dev.switchboard.cluster;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A per-member document shared with every member of the cluster: each member publishes its own document (its
 * statistics, say) every so often, and every member keeps the latest document of each member. Documents are opaque
 * bytes, signed with the cluster's secret (HMAC-SHA256); one that does not verify is dropped and counted
 * ({@link #rejectedDocuments}). Reading ({@link #statuses}) answers from local state only: no network round trip,
 * no lock shared with the publisher or the receivers.
 *
 * <pre>{@code
 * StatusBoard board = member.statusBoard("stats");
 * try (StatusBoard.Publication p = board.publish(() -> renderStats(), Duration.ofSeconds(1))) {
 *     for (MemberStatus s : board.statuses()) { ... s.address(), s.alive(), s.document() ... }
 * }
 * }</pre>
 *
 * <p>A member that leaves the cluster shows {@code alive == false} with its last document for
 * {@link #DEPARTED_RETENTION} (at most {@link #MAX_DEPARTED} such members are kept), then disappears. Thread-safe.
 */
public interface StatusBoard {

    /** How long a member that left is still listed (alive false). */
    Duration DEPARTED_RETENTION = Duration.ofMinutes(5);

    /** How many members that left are listed at most (the oldest departures go first). */
    int MAX_DEPARTED = 32;

    /** The largest document published or accepted, in bytes. */
    int MAX_DOCUMENT_BYTES = 1 << 20;

    /** The board's name, the same on every member. */
    String name();

    /**
     * Publishes {@code document.get()} every {@code every}, first at once, on the board's own thread (never on the
     * caller's). Replaces this member's previous publication on this board, if any. A supplier that throws, returns
     * null or a document over {@link #MAX_DOCUMENT_BYTES} is logged and skipped for that round. Publishing stops when
     * the publication or the member is closed.
     *
     * @throws IllegalArgumentException when {@code every} is outside 10 ms to 10 minutes
     * @throws IllegalStateException when the member is closed
     */
    Publication publish(Supplier<byte[]> document, Duration every);

    /**
     * Every member this member knows on this board, itself first, then the live members, then those that left,
     * each group by address. Live members that have not published yet are listed with an empty document.
     */
    List<MemberStatus> statuses();

    /** Documents dropped because they did not verify (another secret, forged or corrupt). */
    long rejectedDocuments();

    /** A running publication; closing it stops publishing (the peers keep the last document). */
    interface Publication extends AutoCloseable {
        /** Stops publishing. Idempotent. */
        @Override
        void close();
    }
}
