package dev.switchboard.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.api.spi.Fleet;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import dev.switchboard.cluster.internal.AdminStates;
import dev.switchboard.cluster.internal.MemberFleet;
import dev.switchboard.cluster.internal.ReplicatedTable;
import dev.switchboard.cluster.internal.Replicator;
import dev.switchboard.cluster.internal.Secrets;
import dev.switchboard.cluster.internal.SharedCookieKey;
import dev.switchboard.cluster.internal.StatusBoards;
import java.io.Closeable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a Switchboard fleet: an embedded Hazelcast member that finds its peers through a TCP member list
 * (no multicast, no cloud discovery, no phone-home, no JVM shutdown hook), and hands out replicated persistence
 * stores ({@link #persistenceStore}). Members with another secret cannot join (the secret is folded into the
 * Hazelcast cluster name) and their messages would not verify (HMAC-SHA256 under the secret). A member address
 * that is not a loopback address needs a secret.
 *
 * <pre>{@code
 * ClusterMember member = ClusterMember.builder().name("edge").member("10.0.0.1:5701")
 *         .members(List.of("10.0.0.1:5701", "10.0.0.2:5701")).secret(System.getenv("LB_CLUSTER_SECRET")).build();
 * member.start();                                   // joined, and holds the peers' entries
 * Persistence p = Persistence.builder(PersistenceMode.SOURCE_IP).store(member.persistenceStore("mail/owa")).build();
 * }</pre>
 *
 * <p>Thread-safe. {@link #start} and {@link #close} are control-plane calls; the stores' request path never reaches
 * the network (see {@code docs/cluster.md} for the consistency model).
 */
public final class ClusterMember implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterMember.class);

    private final ClusterSettings settings;
    private final Secrets secrets;
    private final Object lock = new Object();
    private volatile HazelcastInstance hz;
    private volatile Replicator replicator;
    private volatile AdminStates adminStates;
    private volatile SharedCookieKey cookieKey;
    private volatile boolean ready;
    private boolean closed;
    private StatusBoards statusBoards; // made on first use, under lock; stops itself when the instance shuts down

    private ClusterMember(ClusterSettings settings) {
        this.settings = settings;
        this.secrets = new Secrets(settings.name(), settings.secret());
    }

    /** A builder; {@link Builder#build} checks every value. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the Hazelcast member, joins the members listed (or forms a cluster alone when none answers), and loads
     * the current entries of the members already there; returns when this member is ready. When a member does not
     * answer within the sync timeout, logs a warning and returns: serving from a partial table beats not serving.
     * Does nothing when already started.
     *
     * @throws IllegalStateException when closed, or Hazelcast cannot start (the port is taken, say)
     * @throws InterruptedException when interrupted while waiting for the peers' entries
     */
    public ClusterMember start() throws InterruptedException {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("cluster member " + settings.member() + " is closed");
            }
            if (hz != null) {
                return this;
            }
            try {
                hz = Hazelcast.newHazelcastInstance(config());
            } catch (RuntimeException e) {
                throw new IllegalStateException("cluster member " + settings.member() + " could not start: " + e, e);
            }
            adminStates = new AdminStates(hz, secrets, settings.wallClock());
            adminStates.start();
            cookieKey = new SharedCookieKey(hz, secrets);
            replicator = new Replicator(hz, secrets, settings.wallClock(), settings.batchInterval());
            if (!replicator.start(settings.syncTimeout())) {
                LOG.warn("cluster {}: not every member sent its entries within {}; serving with what arrived",
                        settings.name(), settings.syncTimeout());
            }
            ready = true;
            LOG.info("cluster {}: member {} ready, {} member(s)", settings.name(), settings.member(),
                    hz.getCluster().getMembers().size());
            return this;
        }
    }

    /** Whether {@link #start} has returned and the member is not closed. */
    public boolean isReady() {
        return ready;
    }

    /** The number of members this one sees (itself included), or 0 when not started. */
    public int memberCount() {
        HazelcastInstance h = hz;
        return h == null || !h.getLifecycleService().isRunning() ? 0 : h.getCluster().getMembers().size();
    }

    /** This member's id in the cluster. @throws IllegalStateException when not started */
    public UUID id() {
        return instance().getCluster().getLocalMember().getUuid();
    }

    /**
     * Tells {@code listener} of every other member that joins or leaves from now on, on a Hazelcast event thread,
     * one change at a time. It should be fast; an exception it throws is logged and ignored. The listener goes
     * with the member when it closes.
     *
     * @throws IllegalStateException when the member is not started
     */
    public void onMembership(Consumer<MembershipChange> listener) {
        Objects.requireNonNull(listener, "listener");
        instance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                tell(event, true);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                tell(event, false);
            }

            private void tell(MembershipEvent event, boolean joined) {
                com.hazelcast.cluster.Address a = event.getMember().getAddress();
                String host = a.getHost();
                String member = (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
                try {
                    listener.accept(new MembershipChange(member, joined));
                } catch (RuntimeException e) {
                    LOG.warn("cluster {}: membership listener threw on {}; ignored", settings.name(), member, e);
                }
            }
        });
    }

    /** Replication and admin-state messages dropped because they did not verify (another secret, or corrupt). */
    public long rejectedMessages() {
        Replicator r = replicator;
        AdminStates a = adminStates;
        return (r == null ? 0 : r.rejected()) + (a == null ? 0 : a.rejected());
    }

    /**
     * A factory of the replicated store of {@code owner} (a sub-service's or virtual service's name, the same on
     * every member), for {@code Persistence.Builder.store}. Every store it creates is the owner's one table on this
     * member: the idle timeout, bound and ticker of the latest call apply. Entries of the owner that arrived before
     * (from the peers' snapshot) are in it.
     *
     * @throws IllegalArgumentException when {@code owner} is empty
     * @throws IllegalStateException when the member is not started
     */
    public PersistenceStoreFactory persistenceStore(String owner) {
        Objects.requireNonNull(owner, "owner");
        if (owner.isBlank()) {
            throw new IllegalArgumentException("owner: '" + owner + "' (expected: a non-empty name)");
        }
        Replicator r = replicator;
        if (r == null) {
            throw new IllegalStateException("cluster member " + settings.member() + " is not started");
        }
        return (idleTimeout, maxEntries, ticker) -> {
            ReplicatedTable table = r.table(owner);
            table.bind(idleTimeout, maxEntries, ticker);
            return table;
        };
    }

    /**
     * This member as an engine's {@link Fleet}, for {@code DispatchEngine.Builder.fleet}: every persistence table
     * that names no store of its own is replicated ({@link #persistenceStore} with the table's name as owner); active
     * cookies without a {@code cookieSecret} are signed with a key the first member draws and every other member gets
     * (a configured {@code cookieSecret} wins: then every member must be configured with the same one); admin states
     * set on any member's engine apply on every member's engine within a second, and an engine built later applies
     * the current ones (see {@code docs/cluster.md}). One engine per member: a later engine replaces an earlier one as
     * the receiver of the other members' changes.
     *
     * @throws IllegalStateException when the member is not started
     */
    public Fleet fleet() {
        instance();
        return new MemberFleet(this::persistenceStore, adminStates, cookieKey);
    }

    /**
     * The status board {@code name} (the same on every member): each member publishes its own document there, every
     * member reads the latest of each ({@link StatusBoard}). Made on first use; reading it never reaches the network.
     *
     * @throws IllegalArgumentException when the name is not 1 to 64 of {@code [A-Za-z0-9._-]}
     * @throws IllegalStateException when the member is not started or closed
     */
    public StatusBoard statusBoard(String name) {
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("cluster member " + settings.member() + " is closed");
            }
            if (statusBoards == null) {
                statusBoards = new StatusBoards(instance(), secrets, settings.member(), System::nanoTime);
            }
            return statusBoards.board(name);
        }
    }

    /** Ships what is queued and leaves the cluster. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return; // the replicator's listeners are gone with the instance: a second close would throw
            }
            closed = true;
            ready = false;
            if (adminStates != null) {
                adminStates.close();
            }
            if (replicator != null) {
                replicator.close();
            }
            if (hz != null) {
                hz.shutdown();
            }
        }
    }

    private HazelcastInstance instance() {
        HazelcastInstance h = hz;
        if (h == null) {
            throw new IllegalStateException("cluster member " + settings.member() + " is not started");
        }
        return h;
    }

    private Config config() {
        Config c = new Config();
        c.setClusterName(secrets.clusterName());
        c.setInstanceName("switchboard-" + settings.name() + "-" + settings.port());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.local.localAddress", settings.bindHost());
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // a peer that stops answering is removed after 5 s of silence (heartbeat each second) rather than 60 s, and
        // two sides of a healed partition look for each other every 5 s (rather than after 300 s, then every 120 s)
        // and merge: a pair behind one virtual IP resynchronizes within seconds of meeting again (docs/cluster.md)
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "5");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(settings.bindPort()).setPortAutoIncrement(false);
        if (settings.bindsElsewhere()) {
            net.setPublicAddress(settings.member()); // peers reach us there (NAT, port forwarding, a relay)
        }
        net.getRestApiConfig().setEnabled(false);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(List.copyOf(settings.members()));
        c.getJetConfig().setEnabled(false);
        AdminStates.configure(c);
        SharedCookieKey.configure(c);
        return c;
    }

    /** Collects a member's settings; not thread-safe. */
    public static final class Builder {

        private final ClusterSettings.Draft draft = new ClusterSettings.Draft();

        private Builder() {
        }

        /** The cluster's name, the same on every member ({@code [A-Za-z0-9._-]}, 1 to 64 characters). */
        public Builder name(String name) {
            draft.name = name;
            return this;
        }

        /** This member's address, {@code host:port} (an IP literal; IPv6 in brackets). */
        public Builder member(String hostPort) {
            draft.member = hostPort;
            return this;
        }

        /**
         * The address this member listens on, {@code host:port}, when it differs from {@link #member} (behind NAT,
         * port forwarding or a relay: the peers connect to {@code member}, which must lead here). Default: the
         * member address.
         */
        public Builder bind(String hostPort) {
            draft.bind = hostPort;
            return this;
        }

        /** The members to join, {@code host:port} each (this member may be among them). */
        public Builder members(List<String> members) {
            draft.members = List.copyOf(members);
            return this;
        }

        /** The shared secret; required when the member address is not a loopback address. */
        public Builder secret(String secret) {
            draft.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        /** How often queued writes are shipped (default 50 ms; 1 ms to 10 s). */
        public Builder batchInterval(Duration interval) {
            draft.batchInterval = interval;
            return this;
        }

        /** How long {@link ClusterMember#start} waits for the peers' entries (default 10 s). */
        public Builder syncTimeout(Duration timeout) {
            draft.syncTimeout = timeout;
            return this;
        }

        /** The wall clock write stamps are taken from, in milliseconds (default: the system's; for tests). */
        public Builder wallClock(LongSupplier millis) {
            draft.wallClock = Objects.requireNonNull(millis, "wallClock");
            return this;
        }

        /**
         * A member, not started.
         *
         * @throws IllegalArgumentException naming the field and the value, for a bad name, address, member list,
         *         interval or timeout, or a non-loopback member address without a secret
         */
        public ClusterMember build() {
            return new ClusterMember(draft.check());
        }
    }
}
