package dev.switchboard.examples.gateway.fleet;

import dev.switchboard.api.event.EventKind;
import dev.switchboard.api.spi.Fleet;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.config.ClusterConfig;
import dev.switchboard.engine.EventHistory;
import dev.switchboard.examples.gateway.admin.ClusterFleetStats;
import dev.switchboard.examples.gateway.admin.FleetStatsSource;
import dev.switchboard.examples.gateway.admin.GatewayControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's membership in a fleet: the started {@link ClusterMember} of the configuration's {@code cluster}
 * section. The gateway reaches the cluster module only through this class, and only when the section is there, so
 * a single gateway loads no cluster (nor Hazelcast) class.
 *
 * <pre>{@code
 * FleetLink link = FleetLink.start(config.findCluster().orElseThrow());   // joined, peers' entries loaded
 * DispatchEngine engine = DispatchEngine.builder(model).fleet(link.fleet()).build();
 * // ... engine.close(); link.close();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class FleetLink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(FleetLink.class);

    private final ClusterConfig config;
    private final ClusterMember member;
    private ClusterFleetStats stats;

    private FleetLink(ClusterConfig config, ClusterMember member) {
        this.config = config;
        this.member = member;
    }

    /**
     * Builds the member of {@code cluster} and starts it: returns once it has joined the members that answer and
     * loaded their persistence entries (or its sync timeout passed).
     *
     * @throws IllegalArgumentException naming the first bad value ({@code cluster.member: ...})
     * @throws IllegalStateException when the member cannot start (its port is taken, say) or the thread is
     *         interrupted meanwhile
     */
    public static FleetLink start(ClusterConfig cluster) {
        ClusterMember member = ClusterValues.builder(cluster).build();
        LOG.info("joining {}", cluster);
        try {
            member.start();
        } catch (InterruptedException e) {
            member.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("cluster: interrupted while joining " + cluster.members(), e);
        } catch (RuntimeException e) {
            member.close();
            throw e;
        }
        return new FleetLink(cluster, member);
    }

    /** The section this member was started from. */
    public ClusterConfig config() {
        return config;
    }

    /** The started member. */
    public ClusterMember member() {
        return member;
    }

    /** Records every other member joining or leaving from now on in {@code events} ({@code cluster-member}). */
    public void recordMembership(EventHistory events) {
        member.onMembership(c -> events.record(EventKind.CLUSTER_MEMBER, "", "", "", "",
                c.joined() ? "joined" : "left", "member " + c.member()));
    }

    /** The member as the engine's fleet ({@code DispatchEngine.Builder.fleet}). */
    public Fleet fleet() {
        return member.fleet();
    }

    /**
     * Publishes {@code control}'s stats document to the fleet every second (also when the admin API is off, so the
     * other members still see this gateway) and answers the members' documents for {@code /api/stats?scope=cluster}.
     * Stopped by {@link #close}. Call once.
     */
    public synchronized FleetStatsSource publishStats(GatewayControl control) {
        if (stats != null) {
            throw new IllegalStateException("stats of " + config.member() + " are already published");
        }
        stats = ClusterFleetStats.publish(member, control);
        return stats;
    }

    /** Stops publishing stats, ships what is queued and leaves the cluster. Idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (stats != null) {
                stats.close();
            }
        }
        member.close();
        LOG.info("left cluster {}", config.name());
    }
}
