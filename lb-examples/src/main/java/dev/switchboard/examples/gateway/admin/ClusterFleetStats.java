package dev.switchboard.examples.gateway.admin;

import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.cluster.MemberStatus;
import dev.switchboard.cluster.StatusBoard;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A gateway's part in fleet statistics: publishes this gateway's {@code GET /api/stats} document on the cluster
 * member's status board {@value #BOARD} every {@link #EVERY}, and reads every member's latest document from it (local
 * state only) for the admin API. Start it once per gateway, whether or not the admin API is enabled (the other
 * members show this one's stats); closing the member stops it too.
 *
 * <pre>{@code
 * FleetStatsSource fleet = ClusterFleetStats.publish(member, gateway);
 * AdminServer admin = AdminServer.bind(transport, gateway, config.admin(), fleet);
 * }</pre>
 *
 * <p>Thread-safe. Rendering runs on the status board's own thread, never on a request path.
 */
public final class ClusterFleetStats implements FleetStatsSource, AutoCloseable {

    /** The status board the stats documents go on. */
    public static final String BOARD = "stats";

    /** How often this member's document is published. */
    public static final Duration EVERY = Duration.ofSeconds(1);

    private final StatusBoard board;
    private final StatusBoard.Publication publication;

    private ClusterFleetStats(StatusBoard board, StatusBoard.Publication publication) {
        this.board = board;
        this.publication = publication;
    }

    /**
     * Starts publishing the stats of {@code control} (the JSON of {@code GET /api/stats}, each server's last probe
     * included) every second.
     *
     * @throws IllegalStateException when the member is not started or closed
     */
    public static ClusterFleetStats publish(ClusterMember member, GatewayControl control) {
        Objects.requireNonNull(control, "control");
        return publish(member, () -> StatsJson.bytes(control));
    }

    /**
     * Starts publishing {@code statsDocument.get()} (a {@code GET /api/stats} document, UTF-8 JSON) every second.
     *
     * @throws IllegalStateException when the member is not started or closed
     */
    public static ClusterFleetStats publish(ClusterMember member, Supplier<byte[]> statsDocument) {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(statsDocument, "statsDocument");
        StatusBoard board = member.statusBoard(BOARD);
        return new ClusterFleetStats(board, board.publish(statsDocument, EVERY));
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public List<FleetMember> members() {
        return board.statuses().stream().map(ClusterFleetStats::member).toList();
    }

    private static FleetMember member(MemberStatus s) {
        return new FleetMember(s.address(), s.alive(), s.self(), s.age(), s.document());
    }

    /** Documents from other members dropped because they did not verify. */
    public long rejectedDocuments() {
        return board.rejectedDocuments();
    }

    /** Stops publishing (the peers keep the last document until this member leaves). Idempotent. */
    @Override
    public void close() {
        publication.close();
    }
}
