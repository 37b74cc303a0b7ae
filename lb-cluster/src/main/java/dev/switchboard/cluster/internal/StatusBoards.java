package dev.switchboard.cluster.internal;

import com.hazelcast.cluster.Address;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import dev.switchboard.cluster.StatusBoard;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The status boards of one member: one Hazelcast topic per board, one thread of their own (publishing every board's
 * document), a membership listener that marks members gone, and a lifecycle listener that stops everything when the
 * instance shuts down (the member's {@code close} needs no extra call). Thread-safe.
 */
public final class StatusBoards {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final HazelcastInstance hz;
    private final Secrets secrets;
    private final UUID self;
    private final String selfAddress;
    private final LongSupplier nanos;
    private final ScheduledExecutorService publisher;
    private final ConcurrentHashMap<String, TopicStatusBoard> boards = new ConcurrentHashMap<>();
    private final UUID membershipListener;
    private volatile boolean closed;

    /**
     * Boards on a started instance.
     *
     * @param selfAddress this member's address as peers reach it ({@code host:port})
     * @param nanos       a monotonic clock in nanoseconds (documents' ages, departures)
     */
    public StatusBoards(HazelcastInstance hz, Secrets secrets, String selfAddress, LongSupplier nanos) {
        this.hz = hz;
        this.secrets = secrets;
        this.self = hz.getCluster().getLocalMember().getUuid();
        this.selfAddress = selfAddress;
        this.nanos = nanos;
        this.publisher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-cluster-status-" + hz.getName());
            t.setDaemon(true);
            return t;
        });
        this.membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                long now = nanos.getAsLong();
                boards.values().forEach(b -> b.departed(event.getMember().getUuid(), now));
            }
        });
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleState.SHUTTING_DOWN) {
                close();
            }
        });
    }

    /**
     * The board {@code name}, made and subscribed on first use.
     *
     * @throws IllegalArgumentException when the name is not 1 to 64 of {@code [A-Za-z0-9._-]}
     * @throws IllegalStateException when the instance is shutting down
     */
    public StatusBoard board(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("board: '" + name + "' (expected: 1 to 64 of [A-Za-z0-9._-])");
        }
        if (closed) {
            throw new IllegalStateException("status board " + name + ": the member is closed");
        }
        return boards.computeIfAbsent(name, n -> new TopicStatusBoard(this, n));
    }

    HazelcastInstance hz() {
        return hz;
    }

    Secrets secrets() {
        return secrets;
    }

    UUID self() {
        return self;
    }

    String selfAddress() {
        return selfAddress;
    }

    long now() {
        return nanos.getAsLong();
    }

    ScheduledExecutorService publisher() {
        return publisher;
    }

    boolean closed() {
        return closed;
    }

    /** The members in the cluster now, id to address, from the local member list (no network). */
    Map<UUID, String> liveMembers() {
        Map<UUID, String> live = new LinkedHashMap<>();
        if (closed || !hz.getLifecycleService().isRunning()) {
            return live;
        }
        try {
            for (Member m : hz.getCluster().getMembers()) {
                live.put(m.getUuid(), m.getUuid().equals(self) ? selfAddress : format(m.getAddress()));
            }
        } catch (RuntimeException e) { // shut down meanwhile
            live.clear();
        }
        return live;
    }

    private static String format(Address a) {
        String host = a.getHost();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    /** Stops publishing and unsubscribes every board. Idempotent; called when the instance shuts down. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        publisher.shutdownNow();
        boards.values().forEach(TopicStatusBoard::unsubscribe);
        try {
            hz.getCluster().removeMembershipListener(membershipListener);
        } catch (RuntimeException e) { // the instance is already going
        }
    }
}
