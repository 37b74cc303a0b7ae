package dev.switchboard.cluster.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.cluster.MemberStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class StatusTableTest {

    private static final long SECOND = 1_000_000_000L;

    private final UUID self = new UUID(0, 1);
    private final UUID peer = new UUID(0, 2);
    private final StatusTable table = new StatusTable(Duration.ofMinutes(5), 2);

    private static byte[] doc(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(MemberStatus s) {
        return new String(s.document(), StandardCharsets.UTF_8);
    }

    private Map<UUID, String> live(UUID... ids) {
        Map<UUID, String> m = new LinkedHashMap<>();
        for (UUID id : ids) {
            m.put(id, "127.0.0.1:" + (5700 + id.getLeastSignificantBits()));
        }
        return m;
    }

    @Test
    void offer_olderOrSameSequence_keepsTheNewerDocument() {
        assertThat(table.offer(peer, "127.0.0.1:5702", 2, doc("two"), 0)).isTrue();
        assertThat(table.offer(peer, "127.0.0.1:5702", 1, doc("one"), SECOND)).isFalse();
        assertThat(table.offer(peer, "127.0.0.1:5702", 2, doc("replay"), SECOND)).isFalse();

        List<MemberStatus> s = table.snapshot(self, live(self, peer), 3 * SECOND);
        assertThat(s).extracting(MemberStatus::address).containsExactly("127.0.0.1:5701", "127.0.0.1:5702");
        assertThat(text(s.get(1))).isEqualTo("two");
        assertThat(s.get(1).age()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void snapshot_liveMemberWithoutDocument_isListedAliveAndEmpty_selfFirst() {
        table.offer(peer, "127.0.0.1:5702", 1, doc("peer"), 0);

        List<MemberStatus> s = table.snapshot(self, live(peer, self), SECOND);

        assertThat(s.get(0).self()).isTrue();
        assertThat(s.get(0).alive()).isTrue();
        assertThat(s.get(0).hasDocument()).isFalse();
        assertThat(s.get(1).self()).isFalse();
        assertThat(text(s.get(1))).isEqualTo("peer");
    }

    @Test
    void snapshot_memberGone_isListedDeadUntilTheRetention_thenDropped() {
        table.offer(self, "127.0.0.1:5701", 1, doc("self"), 0);
        table.offer(peer, "127.0.0.1:5702", 1, doc("peer"), 0);
        table.departed(peer, SECOND);

        List<MemberStatus> s = table.snapshot(self, live(self), 2 * SECOND);
        assertThat(s).extracting(MemberStatus::alive).containsExactly(true, false);
        assertThat(text(s.get(1))).isEqualTo("peer");

        long justBefore = SECOND + Duration.ofMinutes(5).toNanos();
        assertThat(table.snapshot(self, live(self), justBefore)).hasSize(2);
        assertThat(table.snapshot(self, live(self), justBefore + 1)).extracting(MemberStatus::address)
                .containsExactly("127.0.0.1:5701");
    }

    @Test
    void snapshot_moreDepartedThanTheBound_keepsTheLatestDepartures() {
        for (int i = 0; i < 5; i++) {
            UUID id = new UUID(1, i);
            table.offer(id, "10.0.0." + i + ":5701", 1, doc("m" + i), 0);
            table.departed(id, i * SECOND);
        }

        List<MemberStatus> s = table.snapshot(self, live(self), 10 * SECOND);

        assertThat(s).extracting(MemberStatus::address).containsExactly("127.0.0.1:5701", "10.0.0.3:5701",
                "10.0.0.4:5701");
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void offer_restartedMemberAtTheSameAddress_dropsItsDepartedEntry() {
        table.offer(peer, "127.0.0.1:5702", 9, doc("old"), 0);
        table.departed(peer, SECOND);
        UUID restarted = new UUID(0, 3);

        table.offer(restarted, "127.0.0.1:5702", 1, doc("new"), 2 * SECOND);

        Map<UUID, String> live = live(self);
        live.put(restarted, "127.0.0.1:5702");
        List<MemberStatus> s = table.snapshot(self, live, 3 * SECOND);
        assertThat(s).hasSize(2);
        assertThat(s.get(1).id()).isEqualTo(restarted);
        assertThat(text(s.get(1))).isEqualTo("new");
    }
}
