package dev.switchboard.cluster.internal;

import static dev.switchboard.api.spi.PersistenceStore.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One member's table against writes "from other members" applied directly ({@code applyRemote}): removals leave
 * tombstones and removed servers leave records, so an older write arriving late is refused while they are kept,
 * and a newer one is taken.
 */
class ReplicatedTableTest {

    private static final Duration IDLE = Duration.ofMinutes(10);

    private final AtomicLong wall = new AtomicLong(1_700_000_000_000L);
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final Ticker ticker = nanos::get;
    private ReplicatedTable table;

    @BeforeEach
    void bind() {
        table = new ReplicatedTable("mail/owa", new Stamps(wall::get, 1));
        table.bind(IDLE, 1_000, ticker);
    }

    /** A stamp of another member at wall-clock millisecond {@code millis}. */
    private static long stamp(long millis) {
        return Stamps.ofMillis(millis) | 2;
    }

    @Test
    void get_inANewWindowOfAboutAQuarterOfTheIdleTimeout_queuesOneAccessNote_andNoneWithinTheWindow() {
        long window = 1L << ReplicatedTable.noteShift(IDLE.toNanos());
        assertThat(window).isBetween(IDLE.toNanos() / 8 + 1, IDLE.toNanos() / 4);
        table.put(42L, 7L);
        List<Entry> shipped = new ArrayList<>();
        assertThat(table.drain(shipped, 10)).as("the put").isEqualTo(1);

        nanos.set(window - 1);
        assertThat(table.get(42L)).isEqualTo(7L);
        shipped.clear();
        assertThat(table.drain(shipped, 10)).as("a hit at the end of the put's window").isZero();

        nanos.set(window);
        for (int i = 0; i < 3; i++) {
            assertThat(table.get(42L)).isEqualTo(7L);
        }
        assertThat(table.drain(shipped, 10)).as("hits in the next window, the ticker still after the first")
                .isEqualTo(1);
        assertThat(shipped.get(0).key).isEqualTo(42L);
        assertThat(shipped.get(0).serverId).isEqualTo(7L);
        assertThat(table.ageOf(shipped.get(0))).as("the access note carries the hit's time").isZero();

        nanos.set(2 * window - 1);
        assertThat(table.get(42L)).isEqualTo(7L);
        assertThat(table.drain(shipped, 10)).as("a later hit in the same window").isZero();
        nanos.set(2 * window);
        assertThat(table.get(42L)).isEqualTo(7L);
        assertThat(table.drain(shipped, 10)).as("the first hit of the window after").isEqualTo(1);
    }

    @Test
    void drain_shipsEachQueuedKeysEntryAsItIsNow_andSkipsKeysRemovedSince() {
        table.put(1L, 7L);
        table.put(1L, 8L);
        table.put(2L, 7L);
        table.applyRemote(2L, NONE, stamp(wall.get() + 1), 0);
        List<Entry> shipped = new ArrayList<>();

        assertThat(table.drain(shipped, 10)).isEqualTo(2);

        assertThat(shipped).extracting(e -> e.key + "->" + e.serverId).containsExactly("1->8", "1->8");
        assertThat(table.drain(shipped, 10)).as("nothing queued any more").isZero();
    }

    @Test
    void remove_thenAnOlderRemotePut_isRefused_andANewerOneTaken() {
        table.put(42L, 7L);
        wall.addAndGet(10);
        table.remove(42L);

        table.applyRemote(42L, 8L, stamp(wall.get() - 5), 0);
        assertThat(table.get(42L)).as("a put older than the remove, arriving late").isEqualTo(NONE);

        table.applyRemote(42L, 9L, stamp(wall.get() + 5), 0);
        assertThat(table.get(42L)).as("a put newer than the remove").isEqualTo(9L);
        assertThat(table.tombstones()).as("the newer put replaced the tombstone").isZero();
    }

    @Test
    void remoteRemove_leavesATombstone_soTheOlderPutArrivingAfterItStaysRemoved() {
        table.applyRemote(42L, NONE, stamp(1_800_000_000_000L), 0);
        table.applyRemote(42L, 7L, stamp(1_799_999_999_999L), 0);

        assertThat(table.get(42L)).isEqualTo(NONE);
        assertThat(table.tombstones()).isEqualTo(1);
    }

    @Test
    void tombstone_isForgottenAfterTheIdleTimeout_thenAnOldPutIsTakenAgain() {
        table.applyRemote(42L, NONE, stamp(1_800_000_000_000L), 0);
        nanos.addAndGet(IDLE.toNanos() + 1);
        table.sweep();

        assertThat(table.tombstones()).isZero();
        table.applyRemote(42L, 7L, stamp(1_799_999_999_999L), 0);
        assertThat(table.get(42L)).as("no tombstone left: what holds is bounded by the idle timeout").isEqualTo(7L);
    }

    @Test
    void removeServers_dropsTheirEntries_refusesTheirOlderWrites_andShipsTheRemoval() {
        for (long key = 1; key <= 30; key++) {
            table.applyRemote(key, 100 + key % 3, stamp(wall.get() - 100), 0);
        }
        wall.addAndGet(1);

        table.removeServers(new long[] {100, 102});

        for (long key = 1; key <= 30; key++) {
            assertThat(table.get(key)).as("key %d", key).isEqualTo(key % 3 == 1 ? 101 : NONE);
        }
        table.applyRemote(3L, 100L, stamp(wall.get() - 50), 0);
        assertThat(table.get(3L)).as("a stale put for a removed server, from a slow peer").isEqualTo(NONE);
        table.applyRemote(3L, 100L, stamp(wall.get() + 50), 0);
        assertThat(table.get(3L)).as("a put written after the removal (the server is back somewhere)")
                .isEqualTo(100L);
        List<Long> shipped = new ArrayList<>();
        assertThat(table.drainServerRemovals(shipped)).isTrue();
        assertThat(shipped).hasSize(6).containsSubsequence(100L).containsSubsequence(102L);
    }

    @Test
    void removeServers_dropsEvenEntriesStampedAheadOfThisMembersClock() {
        table.applyRemote(1L, 100L, stamp(wall.get() + 500), 0); // a peer whose clock runs ahead

        table.removeServers(new long[] {100});

        assertThat(table.get(1L)).as("this member's configuration has no server 100 any more").isEqualTo(NONE);
    }

    @Test
    void requestPath_holdsNoReferenceToHazelcast_soAPeerCannotBlockIt() {
        for (Class<?> type : new Class<?>[] {ReplicatedTable.class, Entry.class, Stamps.class}) {
            for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                assertThat(f.getType().getName()).as("%s.%s", type.getSimpleName(), f.getName())
                        .doesNotStartWith("com.hazelcast");
            }
        }
    }

    @Test
    void remoteServerRemoval_dropsOnlyOlderEntriesOfThatServer() {
        table.applyRemote(1L, 100L, stamp(1_700_000_001_000L), 0);
        table.applyRemote(2L, 100L, stamp(1_700_000_003_000L), 0);
        table.applyRemote(3L, 101L, stamp(1_700_000_001_000L), 0);

        table.applyServerRemoval(100L, stamp(1_700_000_002_000L), 0);

        assertThat(table.get(1L)).isEqualTo(NONE);
        assertThat(table.get(2L)).as("written after the removal").isEqualTo(100L);
        assertThat(table.get(3L)).isEqualTo(101L);
        List<Long> records = new ArrayList<>();
        table.removedServers(records);
        assertThat(records.subList(0, 2)).containsExactly(100L, stamp(1_700_000_002_000L));
    }

    @Test
    void snapshot_carriesTombstones_withTheirAge() {
        table.put(1L, 7L);
        table.remove(2L);
        nanos.addAndGet(5_000);
        List<long[]> seen = new ArrayList<>();

        table.forEachLive((e, age) -> seen.add(new long[] {e.key, e.serverId, age}));

        assertThat(seen).extracting(a -> a[0] + "->" + a[1] + "@" + a[2]).containsExactlyInAnyOrder(
                "1->7@5000", "2->0@5000");
    }
}
