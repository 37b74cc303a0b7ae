package dev.switchboard.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.spi.AdminStateChange;
import dev.switchboard.api.spi.AdminStateSink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-wide admin states. The current state of each server (one server of one sub-service, or a server name
 * host-wide) is kept in a Hazelcast map of signed values, newest stamp ({@link Stamps}) winning, so that an engine
 * attached later (a member that joins or restarts) applies them; each change is also published, signed
 * ({@link AdminWire}), on a topic, and every member applies it through its engine's {@link AdminStateSink} as it
 * arrives. A drain waits for an acknowledgement from every other member present when it was set (a member that
 * leaves is not waited for). Every state this member received or set is held here, so that the servers a later
 * reconfiguration of the engine adds take the ones in force ({@link #reconfigured}) without a read of the map.
 * Threads: one applier (applies, answers, deadlines, in order; drain futures complete on it, never on Hazelcast's
 * event threads) and one for the map, whose calls may wait for a member that is gone; callers wait for it only
 * briefly and never on the request path.
 * Thread-safe.
 */
public final class AdminStates implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminStates.class);
    /** A change is published after its map write, or after this long when the write has not finished. */
    private static final long PUBLISH_GATE_MILLIS = 500;
    private static final Duration ATTACH_WAIT = Duration.ofSeconds(5);
    private static final long RESYNC_AFTER_JOIN_MILLIS = 2_000;

    /** The newest state this member knows for a key (received, read from the map, or set here). */
    private record Held(long stamp, AdminStateChange change, byte[] state) {
    }

    private final HazelcastInstance hz;
    private final Secrets secrets;
    private final UUID self;
    private final Stamps stamps;
    private final ITopic<byte[]> topic;
    private final AdminStateMap states;
    private final ScheduledExecutorService applier;
    private final ConcurrentHashMap<Long, DrainRequest> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();
    private final AtomicLong rejected = new AtomicLong();
    private volatile AdminStateSink sink;
    private volatile boolean closed;
    private UUID topicListener;
    private UUID membershipListener;

    /** Admin states on a started instance; nothing is received before {@link #start}. */
    public AdminStates(HazelcastInstance hz, Secrets secrets, LongSupplier wallMillis) {
        this.hz = hz;
        this.secrets = secrets;
        this.self = hz.getCluster().getLocalMember().getUuid();
        this.stamps = new Stamps(wallMillis, self.getLeastSignificantBits() ^ self.getMostSignificantBits());
        this.topic = hz.getTopic(AdminWire.TOPIC);
        this.states = new AdminStateMap(hz, secrets);
        this.applier = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "switchboard-admin-" + hz.getName()));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Adds the map's settings: a synchronous backup and asynchronous ones, so states outlive all but one member. */
    public static void configure(Config config) {
        AdminStateMap.configure(config);
    }

    /** Listens to the topic and to members leaving (not waited for) and joining (states re-read, see docs). */
    public void start() {
        topicListener = topic.addMessageListener(m -> onMessage(m.getMessageObject()));
        membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                schedule(() -> resync(false), RESYNC_AFTER_JOIN_MILLIS);
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                UUID gone = event.getMember().getUuid();
                schedule(() -> requests.values().forEach(r -> r.left(gone)), 0);
            }
        });
    }

    /** Messages dropped because their signature did not verify or they were malformed. */
    public long rejected() {
        return rejected.get();
    }

    /**
     * Makes {@code sink} the engine that applies states here (replacing an earlier one) and applies to it every
     * current state: the map's and those received so far. Waits up to 5 s for the map; when it does not answer in
     * time, logs and returns (its states apply when it answers).
     */
    public void attach(AdminStateSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
        try {
            resync(true).get(ATTACH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.warn("cluster: the current admin states did not arrive within {}; they apply when they do",
                    ATTACH_WAIT);
        } catch (ExecutionException | RejectedExecutionException e) {
            LOG.warn("cluster: could not read the current admin states: {}", String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The engine's reconfiguration added servers: applies to them, through {@code added}, every state held here
     * (received or set so far; no read of the map), oldest first, on the applier, without shipping them again.
     * Returns at once.
     */
    public void reconfigured(AdminStateSink added) {
        Objects.requireNonNull(added, "added");
        schedule(() -> reapply(added), 0);
    }

    /** On the applier: the held states that concern {@code added}, applied to it oldest first. */
    private void reapply(AdminStateSink added) {
        if (closed) {
            return;
        }
        List<Held> todo = new ArrayList<>(held.values());
        todo.sort(Comparator.comparingLong(Held::stamp));
        for (Held h : todo) {
            try {
                if (added.concerns(h.change())) {
                    LOG.info("cluster: {} applies to a server the new configuration added", AdminWire.describe(
                            h.change()));
                    added.apply(h.change(), Duration.ZERO);
                }
            } catch (RuntimeException e) {
                LOG.warn("cluster: the engine failed to apply {}: {}", AdminWire.describe(h.change()), e.toString());
            }
        }
    }

    /**
     * Ships a change already applied on this member: writes it to the map (newest stamp wins) and publishes it.
     *
     * @return completes with true when every other member present now answered that its leases of those servers
     *         reached zero or left (at once for ENABLED or when alone), false at the first member that answers
     *         otherwise or when {@code drainDeadline} passes; never exceptionally
     */
    public CompletionStage<Boolean> shipped(AdminStateChange change, Duration drainDeadline) {
        if (closed) {
            return CompletableFuture.completedFuture(false);
        }
        long stamp = stamps.next();
        String key = AdminWire.key(change);
        byte[] state = AdminWire.state(secrets, self, stamp, change);
        hold(key, new Held(stamp, change, state));
        long deadlineMillis = Math.max(0, drainDeadline.toMillis());
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        long requestId = 0;
        Set<UUID> others = others();
        if (change.state() == AdminState.ENABLED || others.isEmpty()) {
            result.complete(true);
        } else {
            requestId = ThreadLocalRandom.current().nextLong() | 1;
            long id = requestId;
            DrainRequest request = new DrainRequest(others, result);
            requests.put(id, request);
            result.whenComplete((v, e) -> requests.remove(id));
            request.retain(others()); // those that left before it was registered
            schedule(() -> result.complete(false), deadlineMillis);
        }
        storeThenPublish(key, stamp, state, AdminWire.change(secrets, self, stamp, change, requestId, deadlineMillis));
        return result;
    }

    private Set<UUID> others() {
        Set<UUID> others = new HashSet<>();
        for (Member m : hz.getCluster().getMembers()) {
            others.add(m.getUuid());
        }
        others.remove(self);
        return others;
    }

    private void storeThenPublish(String key, long stamp, byte[] state, byte[] message) {
        CompletableFuture<Void> stored;
        try {
            stored = states.write(key, stamp, state);
        } catch (RejectedExecutionException e) {
            return; // closed
        }
        stored.orTimeout(PUBLISH_GATE_MILLIS, TimeUnit.MILLISECONDS).whenCompleteAsync((v, e) -> {
            if (e != null) {
                LOG.warn("cluster: admin state not yet stored in the cluster ({}); publishing it anyway", e.toString());
            }
            publish(message);
        }, applier);
    }

    private void publish(byte[] message) {
        try {
            topic.publish(message);
        } catch (RuntimeException e) {
            LOG.warn("cluster: could not publish an admin-state message: {}", e.toString());
        }
    }

    private void schedule(Runnable task, long millis) {
        try {
            applier.schedule(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    LOG.warn("cluster: admin-state task failed: {}", e.toString());
                }
            }, millis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("admin states closed; task dropped");
        }
    }

    /** Records {@code h} when it is newer than what is held for {@code key}; whether it was. */
    private boolean hold(String key, Held h) {
        while (true) {
            Held old = held.get(key);
            if (old != null && old.stamp() >= h.stamp()) {
                return false;
            }
            if (old == null ? held.putIfAbsent(key, h) == null : held.replace(key, old, h)) {
                return true;
            }
        }
    }

    private void onMessage(byte[] bytes) {
        AdminWire.Message m = AdminWire.read(secrets, bytes);
        if (m == null || m.kind() == AdminWire.STATE) {
            if (rejected.getAndIncrement() == 0) {
                LOG.warn("dropped an admin-state message that does not verify: a member with another secret?");
            }
            return;
        }
        if (m.sender().equals(self)) {
            return;
        }
        if (m.kind() == AdminWire.CHANGE) {
            schedule(() -> applyRemote(m), 0);
        } else if (m.requester().equals(self)) {
            DrainRequest r = requests.get(m.requestId());
            if (r != null) { // completed on the applier: the caller's callbacks never hold up Hazelcast's threads
                schedule(() -> r.answered(m.sender(), m.drained()), 0);
            }
        }
    }

    /** On the applier: a change another member set. */
    private void applyRemote(AdminWire.Message m) {
        AdminStateChange change = m.change();
        if (!hold(AdminWire.key(change), new Held(m.stamp(), change, AdminWire.state(secrets, m.sender(), m.stamp(),
                change)))) {
            LOG.info("cluster: {} from member {} is older than the state in force; skipped", AdminWire.describe(change),
                    m.sender());
            answer(m, false);
            return;
        }
        LOG.info("cluster: member {} set {}", m.sender(), AdminWire.describe(change));
        CompletionStage<Boolean> drained = applyHere(change, Duration.ofMillis(m.deadlineMillis()));
        if (m.requestId() != 0) {
            drained.whenCompleteAsync((ok, e) -> answer(m, e == null && Boolean.TRUE.equals(ok)), applier);
        }
    }

    private CompletionStage<Boolean> applyHere(AdminStateChange change, Duration drainDeadline) {
        AdminStateSink s = sink;
        if (s == null) {
            return CompletableFuture.completedFuture(true); // no engine yet: nothing goes there; attach applies it
        }
        try {
            if (!s.concerns(change)) {
                LOG.info("cluster: {} names no server of this configuration; counts as drained here",
                        AdminWire.describe(change));
                return CompletableFuture.completedFuture(true);
            }
            return s.apply(change, drainDeadline);
        } catch (RuntimeException e) {
            LOG.warn("cluster: the engine failed to apply {}: {}", AdminWire.describe(change), e.toString());
            return CompletableFuture.completedFuture(false);
        }
    }

    private void answer(AdminWire.Message m, boolean drained) {
        if (m.requestId() != 0) {
            publish(AdminWire.ack(secrets, self, m.requestId(), m.sender(), drained));
        }
    }

    /**
     * Reads the map and, on the applier, holds what is newer; applies to the engine what is newer ({@code all}: every
     * state held, for a sink just attached), oldest first; writes back to the map what this member holds newer than
     * it (after a split brain healed, or states lost with their members) and publishes it.
     */
    private CompletableFuture<Void> resync(boolean all) {
        return states.values()
                .thenAcceptAsync(values -> replay(values, all), applier);
    }

    private void replay(List<byte[]> values, boolean all) {
        List<Held> apply = new ArrayList<>();
        Set<String> inMap = new HashSet<>();
        for (byte[] v : values) {
            AdminWire.Message m = AdminWire.read(secrets, v);
            if (m == null || m.kind() != AdminWire.STATE) {
                rejected.incrementAndGet();
                continue;
            }
            Held h = new Held(m.stamp(), m.change(), v);
            String key = AdminWire.key(m.change());
            inMap.add(key);
            if (hold(key, h) && !all) {
                apply.add(h);
            } else if (held.get(key).stamp() > h.stamp()) {
                writeBack(key, held.get(key));
            }
        }
        held.forEach((key, h) -> {
            if (!inMap.contains(key)) {
                writeBack(key, h);
            }
        });
        List<Held> todo = all ? new ArrayList<>(held.values()) : apply;
        todo.sort(Comparator.comparingLong(Held::stamp));
        for (Held h : todo) {
            applyHere(h.change(), Duration.ZERO);
        }
    }

    private void writeBack(String key, Held h) {
        LOG.info("cluster: re-sharing {} (newer here than in the cluster's map)", AdminWire.describe(h.change()));
        storeThenPublish(key, h.stamp(), h.state(), AdminWire.change(secrets, self, h.stamp(), h.change(), 0, 0));
    }

    /** Stops listening and the threads; pending drains complete with false. The instance stays up. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (topicListener != null) {
                topic.removeMessageListener(topicListener);
            }
            if (membershipListener != null) {
                hz.getCluster().removeMembershipListener(membershipListener);
            }
        } catch (RuntimeException e) {
            LOG.debug("admin-state listeners not removed: {}", e.toString());
        }
        applier.shutdownNow();
        states.close();
        requests.values().forEach(r -> r.result().complete(false));
    }
}
