package dev.switchboard.cluster.internal;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the writes of this member's tables to the other members and applies theirs, over one Hazelcast topic of
 * signed byte arrays ({@link Wire}). One thread of its own (the shipper) drains every table's outbox each interval
 * and publishes a batch per owner, sweeps expired entries about once a second, and answers snapshot requests; the
 * topic's event threads apply incoming batches. The shipper publishes everything, so the topic's per-publisher
 * ordering keeps a member's writes and its snapshot's end marker in order. Thread-safe.
 */
public final class Replicator implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Replicator.class);
    private static final String TOPIC = "switchboard.persistence";
    private static final int MAX_BATCH = 4096;
    private static final long SWEEP_NANOS = 1_000_000_000L;

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
    private volatile long syncId;
    private volatile CountDownLatch synced = new CountDownLatch(0);
    private volatile long lastSweep = System.nanoTime();
    private UUID topicListener;
    private UUID membershipListener;

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
        topic.publish(Wire.syncRequest(secrets, self, syncId));
        return latch.await(syncTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void answered(UUID member) {
        if (awaited.remove(member) && awaited.isEmpty()) {
            synced.countDown();
        }
    }

    private void tick() {
        try {
            flush();
            long now = System.nanoTime();
            if (now - lastSweep >= SWEEP_NANOS) {
                lastSweep = now;
                tables.values().forEach(ReplicatedTable::sweep);
            }
        } catch (RuntimeException e) {
            LOG.warn("replication tick failed: {}", e.toString());
        }
    }

    private void flush() {
        List<Entry> batch = new ArrayList<>();
        List<Long> ages = new ArrayList<>();
        for (ReplicatedTable table : tables.values()) {
            while (table.drain(batch, MAX_BATCH) > 0) {
                for (Entry e : batch) {
                    ages.add(e.serverId == ReplicatedTable.NONE ? 0L : table.ageOf(e));
                }
                topic.publish(Wire.batch(secrets, self, table, batch, ages));
                batch.clear();
                ages.clear();
            }
        }
    }

    private void respond(long requestId, UUID requester) {
        try {
            flush();
            for (ReplicatedTable table : tables.values()) {
                List<Entry> batch = new ArrayList<>();
                List<Long> ages = new ArrayList<>();
                table.forEachLive((e, age) -> {
                    batch.add(e);
                    ages.add(age);
                    if (batch.size() == MAX_BATCH) {
                        topic.publish(Wire.batch(secrets, self, table, batch, ages));
                        batch.clear();
                        ages.clear();
                    }
                });
                if (!batch.isEmpty()) {
                    topic.publish(Wire.batch(secrets, self, table, batch, ages));
                }
            }
            topic.publish(Wire.syncDone(secrets, self, requestId, requester));
        } catch (RuntimeException e) {
            LOG.warn("could not send a snapshot to {}: {}", requester, e.toString());
        }
    }

    private void onMessage(byte[] bytes) {
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
        switch (m.kind()) {
            case Wire.BATCH -> {
                ReplicatedTable table = table(m.owner());
                long[] e = m.entries();
                for (int i = 0; i < e.length; i += 4) {
                    table.applyRemote(e[i], e[i + 1], e[i + 2], e[i + 3]);
                }
            }
            case Wire.SYNC_REQUEST -> shipper.execute(() -> respond(m.requestId(), m.sender()));
            case Wire.SYNC_DONE -> {
                if (m.requester().equals(self) && m.requestId() == syncId) {
                    answered(m.sender());
                }
            }
            default -> {
            }
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
        if (topicListener != null) {
            topic.removeMessageListener(topicListener);
        }
        if (membershipListener != null) {
            hz.getCluster().removeMembershipListener(membershipListener);
        }
    }
}
