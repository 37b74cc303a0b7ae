package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.api.testing.Eventually;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClusterSecretTest {

    private final TestFleet fleet = new TestFleet();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void membersWithTheSameSecret_join_andReplicate() throws Exception {
        ClusterMember a = fleet.start(b -> b.secret("s3cret"));
        ClusterMember b = fleet.start(m -> m.secret("s3cret"));
        assertThat(b.memberCount()).isEqualTo(2);
        PersistenceStore sa = a.persistenceStore("vs").create(Duration.ofMinutes(1), 100, Ticker.system());
        PersistenceStore sb = b.persistenceStore("vs").create(Duration.ofMinutes(1), 100, Ticker.system());
        sa.put(1L, 2L);
        Eventually.until("B sees A's entry", () -> sb.get(1L) == 2L);
        assertThat(a.rejectedMessages() + b.rejectedMessages()).isZero();
    }

    @Test
    void memberWithAnotherSecret_isNotAdmitted_andSeesNoEntries() throws Exception {
        ClusterMember a = fleet.start(b -> b.secret("s3cret"));
        PersistenceStore sa = a.persistenceStore("vs").create(Duration.ofMinutes(1), 100, Ticker.system());
        sa.put(1L, 2L);
        ClusterMember intruder = fleet.start(m -> m.secret("guess"));

        assertThat(intruder.memberCount()).as("formed a cluster of its own").isEqualTo(1);
        assertThat(a.memberCount()).isEqualTo(1);
        PersistenceStore si = intruder.persistenceStore("vs").create(Duration.ofMinutes(1), 100, Ticker.system());
        assertThat(si.size()).isZero();
    }
}
