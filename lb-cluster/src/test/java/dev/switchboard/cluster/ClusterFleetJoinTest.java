package dev.switchboard.cluster;

import static dev.switchboard.cluster.FleetEngines.request;
import static dev.switchboard.cluster.FleetEngines.state;
import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.ResponseView;
import dev.switchboard.api.spi.AdminStateChange;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.cluster.internal.AdminWire;
import dev.switchboard.cluster.internal.Secrets;
import dev.switchboard.engine.DispatchEngine;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a member gets from the fleet beyond live changes: the current admin states when its engine is built late,
 * changes naming servers it does not have, messages that do not verify, and the shared active-cookie key.
 */
class ClusterFleetJoinTest {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1);
    private static final String[] SERVERS = {"ex01", "ex02", "ex03"};

    private final TestFleet fleet = new TestFleet();
    private final FleetEngines engines = new FleetEngines();

    @AfterEach
    void close() {
        engines.close();
        fleet.close();
    }

    @Test
    void lateMember_takesTheCurrentStates_newestWriteWinning() throws Exception {
        DispatchEngine a = engines.engine(fleet.start(), SERVERS);
        a.setAdminState("ex01", AdminState.DISABLED, Duration.ZERO);
        a.setAdminState("mail", "owa", "ex02", AdminState.DRAINING, Duration.ZERO);
        a.setAdminState("mail", "ews", "ex03", AdminState.DRAINING, Duration.ZERO);
        a.setAdminState("mail", "ews", "ex03", AdminState.ENABLED, Duration.ZERO);

        DispatchEngine late = engines.engine(fleet.start(), SERVERS);

        assertThat(state(late, "owa", "ex01")).isEqualTo(AdminState.DISABLED);
        assertThat(state(late, "ews", "ex01")).isEqualTo(AdminState.DISABLED);
        assertThat(state(late, "owa", "ex02")).isEqualTo(AdminState.DRAINING);
        assertThat(state(late, "ews", "ex02")).isEqualTo(AdminState.ENABLED);
        assertThat(state(late, "ews", "ex03")).as("ENABLED after DRAINING is shared too").isEqualTo(AdminState.ENABLED);
    }

    @Test
    void memberWithoutTheServer_ignoresIt_theDrainStillCompletes_andLaterChangesStillApplyThere() throws Exception {
        DispatchEngine a = engines.engine(fleet.start(), SERVERS);
        DispatchEngine b = engines.engine(fleet.start(), SERVERS);
        DispatchEngine c = engines.engine(fleet.start(), "ex01", "ex02");

        assertThat(a.setAdminState("mail", "owa", "ex03", AdminState.DRAINING, Duration.ofSeconds(30))
                .get(10, TimeUnit.SECONDS)).as("C has no ex03: nothing of C goes there").isTrue();
        assertThat(state(b, "owa", "ex03")).isEqualTo(AdminState.DRAINING);

        a.setAdminState("mail", "owa", "ex01", AdminState.DRAINING, Duration.ofSeconds(30));
        Eventually.until("C's engine shows the drain of a server it has", ONE_SECOND,
                () -> state(c, "owa", "ex01") == AdminState.DRAINING);
        assertThat(state(c, "owa", "ex02")).isEqualTo(AdminState.ENABLED);
    }

    @Test
    void forgedOrTamperedMessages_areDroppedAndCounted_validOnesApply() throws Exception {
        fleet.start();
        ClusterMember b = fleet.start();
        DispatchEngine engineB = engines.engine(b, SERVERS);
        HazelcastInstance hzA = hazelcast(0);
        Secrets fleetSecrets = new Secrets(fleet.name(), "");
        UUID sender = UUID.randomUUID();
        long stamp = System.currentTimeMillis() << 16;
        AdminStateChange disableEx01 = AdminStateChange.host("ex01", AdminState.DISABLED);
        byte[] forged = AdminWire.change(new Secrets(fleet.name(), "not-the-fleet-secret"), sender, stamp,
                disableEx01, 0, 0);
        byte[] tampered = AdminWire.change(fleetSecrets, sender, stamp, AdminStateChange.host("ex00",
                AdminState.DISABLED), 0, 0);
        tampered[tampered.length - 50] = '1'; // "ex00" becomes "ex01" after signing (tag 32, ids 16, state 1)
        byte[] valid = AdminWire.change(fleetSecrets, sender, stamp, AdminStateChange.host("ex02",
                AdminState.DISABLED), 0, 0);
        long rejectedBefore = b.rejectedMessages();

        for (byte[] message : List.of(forged, tampered, valid)) {
            hzA.getTopic(AdminWire.TOPIC).publish(message);
        }

        Eventually.until("the valid message, published last, applied on B", ONE_SECOND,
                () -> state(engineB, "owa", "ex02") == AdminState.DISABLED);
        assertThat(state(engineB, "owa", "ex01")).isEqualTo(AdminState.ENABLED);
        assertThat(b.rejectedMessages() - rejectedBefore).isEqualTo(2);
    }

    @Test
    void cookieKey_isTheSameOnEveryMember_andAnActiveCookieIssuedByAIsAcceptedByB() throws Exception {
        ClusterMember a = fleet.start();
        ClusterMember b = fleet.start();
        byte[] key = a.fleet().cookieKey();
        assertThat(key).hasSize(16);
        assertThat(b.fleet().cookieKey()).isEqualTo(key);
        Persistence cookie = Persistence.of(PersistenceMode.ACTIVE_COOKIE); // no cookieSecret: the fleet's key
        DispatchEngine engineA = engines.engine(a, cookie, SERVERS);
        DispatchEngine engineB = engines.engine(b, cookie, SERVERS);

        Map<String, String> cookieToServer = new LinkedHashMap<>();
        for (int i = 0; i < SERVERS.length; i++) {
            Decision.Forward f = FleetEngines.lease(engineA, "192.0.2." + i);
            List<String> set = setCookies(f.onResponse(ResponseView.ofStatus(200)));
            f.release(Outcome.ofStatus(200, 0));
            assertThat(set).hasSize(1);
            cookieToServer.put(set.get(0).substring(0, set.get(0).indexOf(';')), f.target().server());
        }
        assertThat(cookieToServer.values()).containsExactlyInAnyOrder(SERVERS);

        cookieToServer.forEach((pair, server) -> {
            for (int i = 0; i < 3; i++) {
                Decision.Forward f = (Decision.Forward) engineB.dispatch("mail",
                        request("198.51.100." + i).header("Cookie", pair).build());
                assertThat(f.target().server()).as("cookie %s through B", pair).isEqualTo(server);
                assertThat(setCookies(f.onResponse(ResponseView.ofStatus(200))))
                        .as("B verifies the cookie: it does not issue a new one").isEmpty();
                f.release(Outcome.ofStatus(200, 0));
            }
        });
    }

    @Test
    void cookieKey_outlivesTheMemberThatDrewIt_andIsNotStoredInTheClear() throws Exception {
        ClusterMember a = fleet.start();
        byte[] key = a.fleet().cookieKey();
        ClusterMember b = fleet.start();
        assertThat(b.fleet().cookieKey()).isEqualTo(key);
        byte[] stored = hazelcast(1).<String, byte[]>getMap("switchboard.fleet").get("cookie-key");
        assertThat(stored).hasSize(12 + 16 + 16);
        assertThat(HexFormat.of().formatHex(stored)).doesNotContain(HexFormat.of().formatHex(key));

        a.close();
        ClusterMember c = fleet.start();

        assertThat(c.fleet().cookieKey()).as("the key lives as long as one member does").isEqualTo(key);
    }

    @Test
    void statesLostFromTheClusterMap_areSharedAgainWhenAMemberJoins() throws Exception {
        DispatchEngine a = engines.engine(fleet.start(), SERVERS);
        a.setAdminState("mail", "owa", "ex01", AdminState.DRAINING, Duration.ZERO);
        IMap<String, byte[]> states = hazelcast(0).getMap("switchboard.admin-states");
        Eventually.until("the state is in the cluster map", () -> states.size() == 1);
        states.clear();

        DispatchEngine late = engines.engine(fleet.start(), SERVERS);

        Eventually.until("A re-shares the state it holds, and the late member applies it",
                () -> state(late, "owa", "ex01") == AdminState.DRAINING);
        Eventually.until("and it is in the map again", () -> states.size() == 1);
    }

    /** The Hazelcast instance of member {@code i} (the name ClusterMember gives it). */
    private HazelcastInstance hazelcast(int i) {
        String address = fleet.addresses().get(i);
        HazelcastInstance hz = Hazelcast.getHazelcastInstanceByName("switchboard-" + fleet.name() + "-"
                + address.substring(address.lastIndexOf(':') + 1));
        assertThat(hz).as("member %s's instance", i).isNotNull();
        return hz;
    }

    private static List<String> setCookies(List<HeaderEdit> edits) {
        return edits.stream().filter(e -> e.name().equalsIgnoreCase("Set-Cookie")).map(HeaderEdit::value).toList();
    }
}
