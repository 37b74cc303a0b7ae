package dev.switchboard.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.topic.ITopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the writes of this member's tables to the other members and applies theirs, over one Hazelcast topic of
 * signed byte arrays ({@link Wire}). One thread of its own (the shipper) drains every table's outbox each interval
 * and publishes a batch per owner, sweeps expired entries about once a second, and sends snapshots; the topic's
 * event threads apply incoming batches. Every message carries the sender's sequence number, so the topic's
 * per-publisher ordering keeps a member's writes and its snapshot's end marker in order.
 *
 * <p>Anti-entropy: a member that publishes nothing for a second publishes a heartbeat with its sequence number. A
 * receiver that sees a sequence number jump (it missed messages: a broken connection, a partition, a full event
 * queue) asks that member for a snapshot, at most once per {@link #RESYNC_BACKOFF_NANOS}; a member that rejoins
 * after a split ({@link LifecycleEvent.LifecycleState#MERGED}) sends its snapshot and asks every member for
 * theirs. A snapshot is every live entry, tombstone and server removal of every table, in batches of
 * {@value #MAX_BATCH}; receivers merge it (newest stamp per key wins), so both sides converge. Thread-safe.
 */
public final class Replicator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    private static final String TOPIC = "switchboard.persistence";
    static final int MAX_BATCH = 4096;
    private static final long SECOND = 1_000_000_000L;
    static final long RESYNC_BACKOFF_NANOS = 2 * SECOND;
    private static final long FORGET_PEER_NANOS = 600 * SECOND;

    private final HazelcastInstance hz;
    private final Secrets secrets;
    private final UUID self;
    private final Stamps stamps;
    private final Duration interval;
    private final ITopic<byte[]> topic;
    private final ConcurrentHashMap<String, ReplicatedTable> tables = new ConcurrentHashMap<>();
    private final ScheduledExecutorService shipper;
    private final Set<UUID> awaited = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong resyncs = new AtomicLong();
    private final ConcurrentHashMap<UUID, Peer> peers = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Wire.Message> snapshotRequests = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean snapshotQueued = new AtomicBoolean();
    private final Object publishLock = new Object();
    private long seq;
    private volatile long lastPublish = System.nanoTime();
    private volatile long syncId;
    private volatile CountDownLatch synced = new CountDownLatch(0);
    private volatile long lastSweep = System.nanoTime();
    private long lastWarn = System.nanoTime() - 10 * SECOND;
    private UUID topicListener;
    private UUID membershipListener;
    private UUID lifecycleListener;

    /** What this member knows of another's message stream. Fields written by one event thread, read by the shipper. */
    private static final class Peer {
        volatile long seq;
        volatile long heard;
        volatile long asked = System.nanoTime() - RESYNC_BACKOFF_NANOS;
        volatile boolean wanted;

        Peer(long seq) {
            this.seq = seq;
        }
    }

    /** A replicator on a started instance; nothing is shipped before {@link #start}. */
    public Replicator(HazelcastInstance hz, Secrets secrets, LongSupplier wallMillis, Duration interval) {
        this.hz = hz;
        this.secrets = secrets;
        this.self = hz.getCluster().getLocalMember().getUuid();
        this.stamps = new Stamps(wallMillis, self.getLeastSignificantBits() ^ self.getMostSignificantBits());
        this.interval = interval;
        this.topic = hz.getTopic(TOPIC);
        this.shipper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "switchboard-cluster-shipper-" + hz.getName());
            t.setDaemon(true);
            return t;
        });
    }

    /** The table of {@code owner}, made on first use (by a store or by an incoming batch). */
    public ReplicatedTable table(String owner) {
        return tables.computeIfAbsent(owner, o -> new ReplicatedTable(o, stamps));
    }

    /** Messages dropped because their signature did not verify or they were malformed. */
    public long rejected() {
        return rejected.get();
    }

    /** Snapshots this member asked for because it missed messages of a member, or after a merge. */
    public long resyncs() {
        return resyncs.get();
    }

    /**
     * Listens, starts shipping, and loads the entries of the members already there.
     *
     * @return whether every member answered within {@code syncTimeout} (members that left meanwhile excepted)
     */
    public boolean start(Duration syncTimeout) throws InterruptedException {
        topicListener = topic.addMessageListener(m -> onMessage(m.getMessageObject()));
        membershipListener = hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                answered(event.getMember().getUuid());
            }
        });
        lifecycleListener = hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == LifecycleEvent.LifecycleState.MERGED) {
                LOG.info("rejoined the cluster after a split: exchanging snapshots");
                onShipper(this::afterMerge);
            }
        });
        long every = interval.toNanos();
        shipper.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.NANOSECONDS);
        for (Member m : hz.getCluster().getMembers()) {
            if (!m.getUuid().equals(self)) {
                awaited.add(m.getUuid());
            }
        }
        if (awaited.isEmpty()) {
            return true;
        }
        CountDownLatch latch = new CountDownLatch(1);
        synced = latch;
        syncId = ThreadLocalRandom.current().nextLong();
        if (awaited.isEmpty()) {
            latch.countDown();
        }
        long id = syncId;
        publish(s -> Wire.syncRequest(secrets, self, s, id, Wire.EVERY_MEMBER));
        return latch.await(syncTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void onShipper(Runnable task) {
        try {
            shipper.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("closing: {} not run", task);
        }
    }

    private void answered(UUID member) {
        if (awaited.remove(member) && awaited.isEmpty()) {
            synced.countDown();
        }
    }

    /** Publishes the message {@code make} builds with the next sequence number, in sequence order. */
    private void publish(LongFunction<byte[]> make) {
        synchronized (publishLock) {
            topic.publish(make.apply(++seq));
            lastPublish = System.nanoTime();
        }
    }

    private void tick() {
        try {
            flush();
            long now = System.nanoTime();
            if (now - lastSweep >= SECOND) {
                lastSweep = now;
                tables.values().forEach(ReplicatedTable::sweep);
            }
            askForMissed(now);
            if (now - lastPublish >= SECOND) {
                publish(s -> Wire.tick(secrets, self, s));
            }
        } catch (RuntimeException e) {
            long now = System.nanoTime();
            if (now - lastWarn >= 10 * SECOND) { // at most one a 10 s: a dead instance fails every tick
                lastWarn = now;
                LOG.warn("replication tick failed: {}", e.toString());
            }
        }
    }

    /** Asks each member whose messages went missing for a snapshot (backing off), and forgets long-silent ones. */
    private void askForMissed(long now) {
        for (var it = peers.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Peer p = e.getValue();
            if (p.wanted && now - p.asked >= RESYNC_BACKOFF_NANOS) {
                p.wanted = false;
                p.asked = now;
                resyncs.incrementAndGet();
                LOG.info("missed replication messages of member {}: asking it for a snapshot", e.getKey());
                publish(s -> Wire.syncRequest(secrets, self, s, 0L, e.getKey()));
            } else if (now - p.heard > FORGET_PEER_NANOS) {
                it.remove();
            }
        }
    }

    private void afterMerge() {
        try {
            resyncs.incrementAndGet();
            publish(s -> Wire.syncRequest(secrets, self, s, 0L, Wire.EVERY_MEMBER));
            sendSnapshot();
        } catch (RuntimeException e) {
            LOG.warn("could not exchange snapshots after a merge: {}", e.toString());
        }
    }

    private void flush() {
        List<Entry> batch = new ArrayList<>();
        List<Long> ages = new ArrayList<>();
        List<Long> removed = new ArrayList<>();
        for (ReplicatedTable table : tables.values()) {
            while (table.drain(batch, MAX_BATCH) > 0) {
                for (Entry e : batch) {
                    ages.add(e.serverId == ReplicatedTable.NONE ? 0L : table.ageOf(e));
                }
                publishBatch(table, batch, ages);
            }
            if (table.drainServerRemovals(removed)) {
                publishRemovals(table, removed);
            }
        }
    }

    private void publishBatch(ReplicatedTable table, List<Entry> batch, List<Long> ages) {
        publish(s -> Wire.batch(secrets, self, s, table.owner(), batch, ages));
        batch.clear();
        ages.clear();
    }

    private void publishRemovals(ReplicatedTable table, List<Long> removed) {
        long[] values = removed.stream().mapToLong(Long::longValue).toArray();
        publish(s -> Wire.serversRemoved(secrets, self, s, table.owner(), values));
        removed.clear();
    }

    /** Queues a snapshot unless one is queued and not yet started (it will answer this request too). */
    private void queueSnapshot(Wire.Message request) {
        if (request != null) {
            snapshotRequests.add(request);
        }
        if (snapshotQueued.compareAndSet(false, true)) {
            onShipper(this::sendSnapshot);
        }
    }

    /** Ships every table's live entries, tombstones and server removals, then an end marker per request. */
    private void sendSnapshot() {
        snapshotQueued.set(false);
        List<Wire.Message> answering = new ArrayList<>();
        for (Wire.Message m; (m = snapshotRequests.poll()) != null; ) {
            answering.add(m);
        }
        try {
            flush();
            for (ReplicatedTable table : tables.values()) {
                List<Entry> batch = new ArrayList<>();
                List<Long> ages = new ArrayList<>();
                table.forEachLive((e, age) -> {
                    batch.add(e);
                    ages.add(age);
                    if (batch.size() == MAX_BATCH) {
                        publishBatch(table, batch, ages);
                    }
                });
                if (!batch.isEmpty()) {
                    publishBatch(table, batch, ages);
                }
                List<Long> removed = new ArrayList<>();
                table.removedServers(removed);
                if (!removed.isEmpty()) {
                    publishRemovals(table, removed);
                }
            }
            for (Wire.Message m : answering) {
                publish(s -> Wire.syncDone(secrets, self, s, m.requestId(), m.sender()));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not send a snapshot: {}", e.toString());
        }
    }

    private void onMessage(byte[] bytes) {
        if (Wire.isFrom(bytes, self)) {
            return; // the topic delivers this member's own messages back: not worth a tag check and a decode
        }
        Wire.Message m = Wire.read(secrets, bytes);
        if (m == null) {
            if (rejected.getAndIncrement() == 0) {
                LOG.warn("dropped a replication message that does not verify: a member with another secret?");
            }
            return;
        }
        if (m.sender().equals(self)) {
            return;
        }
        track(m);
        switch (m.kind()) {
            case Wire.BATCH -> {
                ReplicatedTable table = table(m.owner());
                long[] e = m.entries();
                for (int i = 0; i < e.length; i += 4) {
                    table.applyRemote(e[i], e[i + 1], e[i + 2], e[i + 3]);
                }
            }
            case Wire.SERVERS_REMOVED -> {
                ReplicatedTable table = table(m.owner());
                long[] r = m.entries();
                for (int i = 0; i < r.length; i += 3) {
                    table.applyServerRemoval(r[i], r[i + 1], r[i + 2]);
                }
            }
            case Wire.SYNC_REQUEST -> {
                if (m.member().equals(self) || m.member().equals(Wire.EVERY_MEMBER)) {
                    queueSnapshot(m);
                }
            }
            case Wire.SYNC_DONE -> {
                if (m.member().equals(self) && m.requestId() == syncId) {
                    answered(m.sender());
                }
            }
            default -> {
            }
        }
    }

    /** Notes the sender's sequence number; a jump means messages went missing: a snapshot is wanted. */
    private void track(Wire.Message m) {
        Peer p = peers.computeIfAbsent(m.sender(), id -> new Peer(m.seq() - 1));
        long expected = p.seq + 1;
        p.seq = m.seq();
        p.heard = System.nanoTime();
        if (m.seq() > expected) {
            p.wanted = true;
        }
    }

    /** Ships what is queued, stops the shipper and the listeners. The instance stays up (its owner shuts it). */
    @Override
    public void close() {
        shipper.shutdown();
        try {
            if (shipper.awaitTermination(2, TimeUnit.SECONDS)) {
                flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("final flush failed: {}", e.toString());
        }
        try {
            if (topicListener != null) {
                topic.removeMessageListener(topicListener);
            }
            if (membershipListener != null) {
                hz.getCluster().removeMembershipListener(membershipListener);
            }
            if (lifecycleListener != null) {
                hz.getLifecycleService().removeLifecycleListener(lifecycleListener);
            }
        } catch (RuntimeException e) {
            LOG.debug("could not remove the listeners (the instance is gone?): {}", e.toString());
        }
    }
}
