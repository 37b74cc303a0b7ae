package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.testing.Eventually;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ClusterMember#onMembership}: another member joining, then leaving, as two real members on loopback. */
class ClusterMembershipTest {

    private final TestFleet fleet = new TestFleet();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void secondMemberJoinsThenCloses_firstHearsJoinedThenLeft_withItsAddress() throws Exception {
        ClusterMember first = fleet.start();
        List<MembershipChange> heard = new CopyOnWriteArrayList<>();
        first.onMembership(heard::add);
        ClusterMember second = fleet.start();
        String address = fleet.addresses().get(1);
        Eventually.until("joined", Duration.ofSeconds(10), () -> heard.contains(new MembershipChange(address, true)));
        second.close();
        Eventually.until("left", Duration.ofSeconds(10), () -> heard.contains(new MembershipChange(address, false)));
        assertThat(heard).containsExactly(new MembershipChange(address, true), new MembershipChange(address, false));
    }
}
