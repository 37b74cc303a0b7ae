package dev.switchboard.examples.gateway.admin;

import java.util.List;

/**
 * Where the admin API finds the other members' stats for {@code GET /api/stats?scope=cluster} and the stats page's
 * fleet section. {@link #none()} for a gateway that runs alone; {@link ClusterFleetStats} for a member of a fleet.
 * Implementations answer from local state (no network round trip) and are thread-safe.
 *
 * <pre>{@code
 * FleetStatsSource fleet = ClusterFleetStats.publish(member, gateway);   // or FleetStatsSource.none()
 * AdminServer admin = AdminServer.bind(transport, gateway, settings, fleet);
 * }</pre>
 */
public interface FleetStatsSource {

    /** Whether this gateway is a member of a fleet; when false, {@code scope=cluster} answers 404. */
    boolean clustered();

    /**
     * Every member known, this one included (its document may be stale: the admin API renders its own stats
     * afresh), live and departed. Empty when not {@link #clustered()}.
     */
    List<FleetMember> members();

    /** A gateway without a fleet. */
    static FleetStatsSource none() {
        return NoFleet.INSTANCE;
    }

    /** The source of {@link #none()}. */
    enum NoFleet implements FleetStatsSource {
        INSTANCE;

        @Override
        public boolean clustered() {
            return false;
        }

        @Override
        public List<FleetMember> members() {
            return List.of();
        }
    }
}
