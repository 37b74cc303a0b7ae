package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.cluster.testing.Relay;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two members that reach each other only through TCP relays ({@link Relay}), so that a test can cut the network
 * between them for real: each side keeps serving and writing on its own, and once the relays heal, Hazelcast
 * merges the two clusters and the tables converge to the union, each conflict to the newer write.
 */
class ClusterPartitionTest {

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final String OWNER = "mail/owa";
    /** Hazelcast notices the cut after 5 s without heartbeats and looks for the other side every 5 s. */
    private static final Duration SPLIT_LIMIT = Duration.ofSeconds(30);
    private static final Duration MERGE_LIMIT = Duration.ofSeconds(60);

    private final String name = "p" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
    private final AtomicLong clockA = new AtomicLong(System.currentTimeMillis());
    private final AtomicLong clockB = new AtomicLong(System.currentTimeMillis());
    private Relay relayA;
    private Relay relayB;
    private ClusterMember a;
    private ClusterMember b;

    @AfterEach
    void close() {
        for (AutoCloseable c : new AutoCloseable[] {b, a, relayB, relayA}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    /** A and B, each listening on a port of its own and known to the other only by its relay's address. */
    private void startBehindRelays() throws Exception {
        int portA = TestFleet.freePort();
        int portB = TestFleet.freePort();
        relayA = new Relay(portA);
        relayB = new Relay(portB);
        List<String> members = List.of(relayA.address(), relayB.address());
        a = ClusterMember.builder().name(name).member(relayA.address()).bind("127.0.0.1:" + portA).members(members)
                .wallClock(clockA::get).build().start();
        b = ClusterMember.builder().name(name).member(relayB.address()).bind("127.0.0.1:" + portB).members(members)
                .wallClock(clockB::get).build().start();
    }

    private static PersistenceStore store(ClusterMember m) {
        return m.persistenceStore(OWNER).create(IDLE, 100_000, Ticker.system());
    }

    @Test
    void bind_behindRelays_membersJoinThroughTheRelays_andReplicate() throws Exception {
        startBehindRelays();
        PersistenceStore sa = store(a);
        PersistenceStore sb = store(b);

        sa.put(1L, 11L);

        assertThat(a.memberCount()).isEqualTo(2);
        Eventually.until("B sees A's entry through the relays", () -> sb.get(1L) == 11L);
        assertThat(relayA.relayed() + relayB.relayed()).as("the members met only through the relays").isPositive();
    }

    @Test
    void partition_eachSideServesAndWrites_afterHealBothHoldTheUnion_newerWriteWins() throws Exception {
        startBehindRelays();
        PersistenceStore sa = store(a);
        PersistenceStore sb = store(b);
        for (long k = 1; k <= 10; k++) {
            sa.put(k, 1L);
        }
        Eventually.until("B holds A's entries before the cut", () -> sb.size() == 10);

        relayA.cut();
        relayB.cut();
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000; i++) {
            sa.put(1_000_000L + i, 5L); // the request path: a local map and a queue, whatever the network does
        }
        long putNanos = System.nanoTime() - t0;
        assertThat(putNanos).as("10,000 puts on A while its peer is cut").isLessThan(Duration.ofSeconds(2).toNanos());
        Eventually.until("each side sees itself alone", SPLIT_LIMIT,
                () -> a.memberCount() == 1 && b.memberCount() == 1);

        Map<Long, Long> expected = new HashMap<>();
        for (long k = 1; k <= 10; k++) {
            assertThat(sb.get(k)).as("B serves key %d from its own table while cut", k).isEqualTo(1L);
            expected.put(k, 1L);
        }
        for (long k = 100; k < 110; k++) {
            sa.put(k, 2L);
            expected.put(k, 2L);
        }
        for (long k = 200; k < 210; k++) {
            sb.put(k, 3L);
            expected.put(k, 3L);
        }
        sa.remove(5L); // a removal on one side: the other side's older entry must not come back
        expected.put(5L, PersistenceStore.NONE);
        // conflicts: the same key written on both sides; the later wall clock wins wherever it was written
        clockA.addAndGet(1_000);
        sa.put(300L, 4L);
        clockB.addAndGet(2_000);
        sb.put(300L, 5L);
        expected.put(300L, 5L);
        clockB.addAndGet(1_000);
        sb.put(301L, 6L);
        clockA.addAndGet(5_000);
        sa.put(301L, 7L);
        expected.put(301L, 7L);
        assertThat(sa.get(300L)).isEqualTo(4L);
        assertThat(sb.get(301L)).isEqualTo(6L);

        long healed = System.nanoTime();
        relayA.heal();
        relayB.heal();
        try {
            Eventually.until("A and B merged and hold the union, conflicts to the newer write", MERGE_LIMIT,
                    () -> a.memberCount() == 2 && b.memberCount() == 2 && holds(sa, expected)
                            && holds(sb, expected));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; members " + a.memberCount() + "/" + b.memberCount()
                    + "; A differs at " + differences(sa, expected) + "; B at " + differences(sb, expected), e);
        }
        System.out.printf("partition healed: converged %d ms after the relays healed%n",
                (System.nanoTime() - healed) / 1_000_000);
        assertThat(sb.get(1_000_005L)).as("a write of A during the cut, before the split was noticed").isEqualTo(5L);
    }

    @Test
    void briefCut_writesDuringIt_reachThePeerAfterTheHeal() throws Exception {
        startBehindRelays();
        PersistenceStore sa = store(a);
        PersistenceStore sb = store(b);
        sa.put(1L, 1L);
        Eventually.until("B holds A's entry before the cut", () -> sb.get(1L) == 1L);

        relayA.cut();
        relayB.cut();
        for (long k = 2; k <= 50; k++) {
            sa.put(k, 2L); // shipped while the connection is down
        }
        // a reconnection attempt refused: the members know the connection broke, and A's shipper (every 50 ms)
        // has long published the batch into it
        Eventually.until("a member tried to reconnect through the cut", MERGE_LIMIT,
                () -> relayA.refused() + relayB.refused() > 0);
        assertThat(sb.get(2L)).as("B did not get A's write during the cut").isEqualTo(PersistenceStore.NONE);
        relayA.heal();
        relayB.heal();

        Eventually.until("B got the writes A made during the cut", MERGE_LIMIT, () -> {
            for (long k = 2; k <= 50; k++) {
                if (sb.get(k) != 2L) {
                    return false;
                }
            }
            return true;
        });
    }

    private static Map<Long, Long> differences(PersistenceStore s, Map<Long, Long> expected) {
        Map<Long, Long> found = new java.util.TreeMap<>();
        expected.forEach((k, v) -> {
            if (s.get(k) != v) {
                found.put(k, s.get(k));
            }
        });
        return found;
    }

    private static boolean holds(PersistenceStore s, Map<Long, Long> expected) {
        for (Map.Entry<Long, Long> e : expected.entrySet()) {
            if (s.get(e.getKey()) != e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
