package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.api.testing.Eventually;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReplicatedStoreTest {

    private static final Duration IDLE = Duration.ofMinutes(10);
    private static final String OWNER = "mail/owa";

    private final TestFleet fleet = new TestFleet();

    @AfterEach
    void close() {
        fleet.close();
    }

    private static PersistenceStore store(ClusterMember m, Ticker ticker) {
        return m.persistenceStore(OWNER).create(IDLE, 100_000, ticker);
    }

    /** Two members, each store on its own manual ticker, after A's put of {@code key -> server} reached B. */
    private record TwoOnManualTickers(PersistenceStore sa, PersistenceStore sb, TestFleet.ManualTicker ta,
                                      TestFleet.ManualTicker tb) {}

    private TwoOnManualTickers twoOnManualTickers(long key, long server) throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        TestFleet.ManualTicker ta = new TestFleet.ManualTicker();
        TestFleet.ManualTicker tb = new TestFleet.ManualTicker();
        PersistenceStore sa = store(a, ta);
        PersistenceStore sb = store(b, tb);
        sa.put(key, server);
        Eventually.until("B sees the entry", () -> sb.get(key) == server);
        return new TwoOnManualTickers(sa, sb, ta, tb);
    }

    @Test
    void put_onA_isSeenByB_withinABoundedWait() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        assertThat(a.memberCount()).isEqualTo(2);
        PersistenceStore sa = store(a, Ticker.system());
        PersistenceStore sb = store(b, Ticker.system());

        long t0 = System.nanoTime();
        sa.put(42L, 7L);
        Eventually.until("B sees A's entry", () -> sb.get(42L) == 7L);
        System.out.printf("observed replication lag A->B: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
        assertThat(sb.size()).isEqualTo(1);
    }

    @Test
    void lateMember_loadsExistingEntries_beforeStartReturns() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        PersistenceStore sa = store(a, Ticker.system());
        PersistenceStore sb = store(b, Ticker.system());
        for (long k = 1; k <= 5_000; k++) {
            (k % 2 == 0 ? sa : sb).put(k, 100 + k % 3);
        }
        Eventually.until("A and B hold all 5000", () -> sa.size() == 5_000 && sb.size() == 5_000);

        ClusterMember c = fleet.start();

        assertThat(c.isReady()).isTrue();
        assertThat(c.memberCount()).isEqualTo(3);
        PersistenceStore sc = store(c, Ticker.system());
        assertThat(sc.size()).as("loaded before start returned, no wait").isEqualTo(5_000);
        for (long k = 1; k <= 5_000; k += 499) {
            assertThat(sc.get(k)).isEqualTo(100 + k % 3);
        }
        sc.put(9_999L, 5L);
        Eventually.until("A and B see C's write", () -> sa.get(9_999L) == 5L && sb.get(9_999L) == 5L);
    }

    @Test
    void expiry_onB_followsBsTicker_whileAKeepsTheEntry() throws Exception {
        TwoOnManualTickers two = twoOnManualTickers(9L, 3L);
        PersistenceStore sa = two.sa();
        PersistenceStore sb = two.sb();
        TestFleet.ManualTicker tb = two.tb();

        tb.advance(IDLE.minusSeconds(1));
        assertThat(sb.get(9L)).as("idle less than the timeout on B").isEqualTo(3L);
        tb.advance(IDLE.plusSeconds(1));
        assertThat(sb.get(9L)).as("idle past the timeout on B's ticker").isEqualTo(PersistenceStore.NONE);
        assertThat(sa.get(9L)).as("A's ticker did not move").isEqualTo(3L);
    }

    @Test
    void entryInASnapshot_keepsItsAge_andExpiresOnTheJoinerWhenItDoesOnA() throws Exception {
        ClusterMember a = fleet.start();
        TestFleet.ManualTicker ta = new TestFleet.ManualTicker();
        PersistenceStore sa = store(a, ta);
        sa.put(5L, 2L);
        ta.advance(IDLE.minusMinutes(1));
        ClusterMember b = fleet.start();
        TestFleet.ManualTicker tb = new TestFleet.ManualTicker();
        PersistenceStore sb = store(b, tb);
        assertThat(sb.size()).as("in B's snapshot").isEqualTo(1);

        ta.advance(Duration.ofMinutes(2));
        tb.advance(Duration.ofMinutes(2));

        assertThat(sa.get(5L)).isEqualTo(PersistenceStore.NONE);
        assertThat(sb.get(5L)).as("9 min old when shipped, 2 min later on B: past 10").isEqualTo(PersistenceStore.NONE);
    }

    @Test
    void readsOnB_keepTheEntryAliveOnA() throws Exception {
        TwoOnManualTickers two = twoOnManualTickers(8L, 4L);
        PersistenceStore sa = two.sa();
        PersistenceStore sb = two.sb();
        TestFleet.ManualTicker ta = two.ta();
        TestFleet.ManualTicker tb = two.tb();
        ta.advance(Duration.ofMinutes(6));
        tb.advance(Duration.ofMinutes(6));

        assertThat(sb.get(8L)).as("a hit on B, 6 min after the write").isEqualTo(4L);
        ta.advance(Duration.ofMinutes(5));

        Eventually.until("B's access reaches A, so A's entry is alive 11 min after A's own last access",
                () -> sa.get(8L) == 4L);
    }

    @Test
    void remove_onA_propagatesToB() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        PersistenceStore sa = store(a, Ticker.system());
        PersistenceStore sb = store(b, Ticker.system());
        sa.put(1L, 11L);
        sa.put(2L, 22L);
        Eventually.until("B sees both", () -> sb.get(1L) == 11L && sb.get(2L) == 22L);

        assertThat(sa.remove(1L)).isTrue();

        Eventually.until("B drops the removed key", () -> sb.get(1L) == PersistenceStore.NONE);
        assertThat(sb.get(2L)).isEqualTo(22L);
        assertThat(sb.size()).isEqualTo(1);
    }

    @Test
    void writesOnTwoMembers_newestStampWins_onBoth_whateverTheArrivalOrder() throws Exception {
        AtomicLong clockA = new AtomicLong(1_000_000L);
        AtomicLong clockB = new AtomicLong(2_000_000L);
        ClusterMember a = fleet.start(m -> m.wallClock(clockA::get));
        ClusterMember b = fleet.start(m -> m.wallClock(clockB::get));
        PersistenceStore sa = store(a, Ticker.system());
        PersistenceStore sb = store(b, Ticker.system());

        sb.put(77L, 2L);
        Eventually.until("A sees B's write", () -> sa.get(77L) == 2L);
        sa.put(77L, 1L);  // later in real time, but A's clock says 1000 s < B's 2000 s

        assertThat(sa.get(77L)).as("B's write is newer than A's clock: it stays").isEqualTo(2L);
        clockA.set(3_000_000L);
        sa.put(77L, 1L);
        Eventually.until("B takes A's newer write", () -> sb.get(77L) == 1L);
        assertThat(sa.get(77L)).isEqualTo(1L);
    }

    @Test
    void concurrentWritesOnTwoMembers_converge_toTheSameServerPerKey() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        PersistenceStore sa = store(a, Ticker.system());
        PersistenceStore sb = store(b, Ticker.system());
        int keys = 2_000;
        CountDownLatch go = new CountDownLatch(1);
        Thread wa = new Thread(() -> write(go, sa, keys, 1L));
        Thread wb = new Thread(() -> write(go, sb, keys, 2L));
        wa.start();
        wb.start();
        go.countDown();
        wa.join(10_000);
        wb.join(10_000);
        assertThat(wa.isAlive() || wb.isAlive()).isFalse();

        Eventually.until("both tables agree on every key", Duration.ofSeconds(10), () -> {
            for (long k = 0; k < keys; k++) {
                long x = sa.get(k);
                if (x == PersistenceStore.NONE || x != sb.get(k)) {
                    return false;
                }
            }
            return true;
        });
    }

    private static void write(CountDownLatch go, PersistenceStore store, int keys, long server) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        for (int round = 0; round < 3; round++) {
            for (long k = 0; k < keys; k++) {
                store.put(k, server);
            }
        }
    }
}
