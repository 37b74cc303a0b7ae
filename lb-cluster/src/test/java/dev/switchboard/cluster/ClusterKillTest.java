package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.api.testing.Eventually;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A member that dies abruptly (its Hazelcast instance terminated: no leave message, no final flush, as close to
 * SIGKILL as one JVM gets) loses none of the entries that had reached the other member, which keeps serving them.
 */
class ClusterKillTest {

    private final TestFleet fleet = new TestFleet();

    @AfterEach
    void close() {
        fleet.close();
    }

    @Test
    void abruptDeathOfA_entriesThatReachedB_stayOnB_andBServesThem() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        PersistenceStore sa = a.persistenceStore("mail/owa").create(Duration.ofMinutes(10), 10_000, Ticker.system());
        PersistenceStore sb = b.persistenceStore("mail/owa").create(Duration.ofMinutes(10), 10_000, Ticker.system());
        for (long k = 1; k <= 500; k++) {
            sa.put(k, 100 + k % 4);
        }
        Eventually.until("B holds A's 500 entries", () -> sb.size() == 500);

        HazelcastInstance hzA = Hazelcast.getHazelcastInstanceByName(
                "switchboard-" + fleet.name() + "-" + fleet.addresses().get(0).split(":")[1]);
        assertThat(hzA).isNotNull();
        hzA.getLifecycleService().terminate();

        Eventually.until("B sees A gone", Duration.ofSeconds(15), () -> b.memberCount() == 1);
        for (long k = 1; k <= 500; k++) {
            assertThat(sb.get(k)).as("key %d on B after A died", k).isEqualTo(100 + k % 4);
        }
        sb.put(1_000L, 9L);
        assertThat(sb.get(1_000L)).as("B keeps taking writes alone").isEqualTo(9L);
    }
}
