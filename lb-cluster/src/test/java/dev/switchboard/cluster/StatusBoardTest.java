package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.api.testing.Eventually;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatusBoardTest {

    private static final Duration EVERY = Duration.ofMillis(100);

    private final TestFleet fleet = new TestFleet();
    private HazelcastInstance rogue;

    @AfterEach
    void close() {
        if (rogue != null) {
            rogue.shutdown();
        }
        fleet.close();
    }

    private static byte[] doc(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Address to document text, of the live members with a document. */
    private static Map<String, String> liveDocuments(StatusBoard board) {
        return board.statuses().stream().filter(s -> s.alive() && s.hasDocument()).collect(Collectors.toMap(
                MemberStatus::address, s -> new String(s.document(), StandardCharsets.UTF_8)));
    }

    @Test
    void statusBoard_threeMembersPublishing_eachSeesEveryDocument() throws Exception {
        List<ClusterMember> members = List.of(fleet.start(), fleet.start(), fleet.start());
        List<String> addresses = fleet.addresses();
        for (int i = 0; i < 3; i++) {
            String text = "member-" + i;
            members.get(i).statusBoard("stats").publish(() -> doc(text), EVERY);
        }
        Map<String, String> expected = Map.of(addresses.get(0), "member-0", addresses.get(1), "member-1",
                addresses.get(2), "member-2");

        for (ClusterMember m : members) {
            StatusBoard board = m.statusBoard("stats");
            Eventually.until("every document on " + m.id(), () -> liveDocuments(board).equals(expected));
            MemberStatus first = board.statuses().get(0);
            assertThat(first.self()).isTrue();
            assertThat(first.id()).isEqualTo(m.id());
            assertThat(board.statuses()).allSatisfy(s -> assertThat(s.age()).isLessThan(Duration.ofSeconds(5)));
        }
        assertThat(members.get(0).statusBoard("other").statuses()).as("another board: members, no documents")
                .hasSize(3).noneMatch(MemberStatus::hasDocument);
    }

    @Test
    void statusBoard_latestDocument_replacesTheEarlierOne() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        StatusBoard.Publication p = a.statusBoard("stats").publish(() -> doc("first"), EVERY);
        StatusBoard onB = b.statusBoard("stats");
        Eventually.until("B sees first", () -> "first".equals(liveDocuments(onB).get(fleet.addresses().get(0))));

        p.close();
        a.statusBoard("stats").publish(() -> doc("second"), EVERY);

        Eventually.until("B sees second", () -> "second".equals(liveDocuments(onB).get(fleet.addresses().get(0))));
    }

    @Test
    void statusBoard_memberClosed_turnsDeadWithItsLastDocument() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        a.statusBoard("stats").publish(() -> doc("a"), EVERY);
        b.statusBoard("stats").publish(() -> doc("b"), EVERY);
        StatusBoard onA = a.statusBoard("stats");
        Eventually.until("A sees B", () -> liveDocuments(onA).size() == 2);

        b.close();

        Eventually.until("B gone on A", Duration.ofSeconds(10),
                () -> onA.statuses().stream().anyMatch(s -> !s.alive()));
        Map<String, MemberStatus> byAddress = onA.statuses().stream()
                .collect(Collectors.toMap(MemberStatus::address, Function.identity()));
        MemberStatus gone = byAddress.get(fleet.addresses().get(1));
        assertThat(gone.alive()).isFalse();
        assertThat(gone.document()).isEqualTo(doc("b"));
        assertThat(byAddress.get(fleet.addresses().get(0)).alive()).isTrue();
        assertThat(liveDocuments(onA)).containsOnlyKeys(fleet.addresses().get(0));
        assertThatThrownBy(() -> b.statusBoard("stats")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void statusBoard_forgedDocument_isDroppedAndCounted() throws Exception {
        ClusterMember a = fleet.start();
        a.statusBoard("stats").publish(() -> doc("a"), EVERY);
        rogue = Hazelcast.newHazelcastInstance(rogueConfig()); // joins: no secret, so the name is all it needs
        Eventually.until("the rogue joined", () -> a.memberCount() == 2);
        byte[] forged = doc("{\"forged\":true}");

        rogue.<byte[]>getTopic("switchboard.status.stats").publish(forged);

        StatusBoard board = a.statusBoard("stats");
        Eventually.until("dropped", () -> board.rejectedDocuments() == 1);
        assertThat(board.statuses()).hasSize(2).noneMatch(s -> new String(s.document(), StandardCharsets.UTF_8)
                .contains("forged"));
    }

    @Test
    void statusBoard_badNameOrInterval_isRefusedNamingIt() throws Exception {
        ClusterMember a = fleet.start();

        assertThatThrownBy(() -> a.statusBoard("no spaces")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("board: 'no spaces' (expected: 1 to 64 of [A-Za-z0-9._-])");
        assertThatThrownBy(() -> a.statusBoard("stats").publish(() -> doc("x"), Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every: PT0.001S (expected: 10 ms to 10 minutes)");
    }

    private Config rogueConfig() {
        Config c = new Config();
        c.setClusterName(fleet.name());
        c.setInstanceName("rogue-" + fleet.name());
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.socket.bind.any", "false");
        c.setProperty("hazelcast.local.localAddress", "127.0.0.1");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.getNetworkConfig().setPort(TestFleet.freePort()).setPortAutoIncrement(false);
        JoinConfig join = c.getNetworkConfig().getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(fleet.addresses());
        c.getJetConfig().setEnabled(false);
        return c;
    }
}
