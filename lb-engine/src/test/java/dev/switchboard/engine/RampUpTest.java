package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow start of servers that start taking traffic other than by coming up from down: a weight raised from 0 (in the
 * model or by the agent), and a backup tier that switches on. Round robin with a slow-starting server gives it
 * about {@code ramp / (others + ramp)} of the picks; the ramp itself is read exactly from {@code explain}.
 */
class RampUpTest {

    private static final Duration SLOW_START = Duration.ofSeconds(100);
    private static final int PICKS = 3000;

    private final AtomicLong now = new AtomicLong(7_000_000_000L);
    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private void start(LoadBalancer model) {
        engine = DispatchEngine.builder(model).ticker(now::get).build();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    /** ex01 and ex02 of weight 1, ex03 of weight {@code ex03Weight}. */
    private static LoadBalancer weighted(int ex03Weight, Duration slowStart) {
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).slowStart(slowStart)
                .subService(SubService.builder("owa").asDefault()
                        .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                        .realServer(RealServer.of("ex02", "10.0.0.2:443"))
                        .realServer(RealServer.builder("ex03", "10.0.0.3:443").weight(ex03Weight).build())
                        .build())
                .build()).build();
    }

    /** Primaries ex01, ex02 (ex02 in state {@code ex02}), backups dr01, dr02; backups on below two primaries. */
    private static LoadBalancer tiered(AdminState ex02, Duration slowStart, int minPrimaryServers) {
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).slowStart(slowStart)
                .subService(SubService.builder("owa").asDefault().minPrimaryServers(minPrimaryServers)
                        .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                        .realServer(RealServer.builder("ex02", "10.0.0.2:443").initialState(ex02).build())
                        .realServer(RealServer.builder("dr01", "10.1.0.1:443").backup().build())
                        .realServer(RealServer.builder("dr02", "10.1.0.2:443").backup().build())
                        .build())
                .build()).build();
    }

    private Map<String, Integer> spread() {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < PICKS; i++) {
            counts.merge(serverOf(engine.dispatch("mail", get("/owa/"))), 1, Integer::sum);
        }
        return counts;
    }

    private int backups() {
        Map<String, Integer> s = spread();
        return s.getOrDefault("dr01", 0) + s.getOrDefault("dr02", 0);
    }

    private String trace() {
        return String.join("\n", engine.explain("mail", get("/owa/")).steps());
    }

    @Test
    void reconfigure_weightZeroToN_rampsUnderSlowStart() {
        start(weighted(0, SLOW_START));
        assertThat(spread()).doesNotContainKey("ex03");
        engine.reconfigure(weighted(1, SLOW_START));
        advance(Duration.ofSeconds(10));
        assertThat(trace()).contains("candidate ex03 10.0.0.3:443: enabled, up, weight 1, ramp 100/1000");
        assertThat(spread().getOrDefault("ex03", 0)).as("about 0.1/2.1 of 3000 = 143").isBetween(60, 260);
        advance(Duration.ofSeconds(40));
        assertThat(spread().get("ex03")).as("about 0.5/2.5 of 3000 = 600").isBetween(450, 750);
        advance(Duration.ofSeconds(60));
        assertThat(spread().get("ex03")).isBetween(900, 1100);
        assertThat(trace()).contains("candidate ex03 10.0.0.3:443: enabled, up, weight 1, ramp 1000/1000");
    }

    @Test
    void reconfigure_weightZeroToN_withoutSlowStart_takesItsShareAtOnce() {
        start(weighted(0, Duration.ZERO));
        engine.reconfigure(weighted(1, Duration.ZERO));
        assertThat(trace()).contains("candidate ex03 10.0.0.3:443: enabled, up, weight 1, ramp 1000/1000");
        assertThat(spread().get("ex03")).isBetween(900, 1100);
    }

    @Test
    void reconfigure_weightChangedBetweenPositiveValues_doesNotRamp() {
        start(weighted(1, SLOW_START));
        engine.reconfigure(weighted(2, SLOW_START));
        assertThat(trace()).contains("candidate ex03 10.0.0.3:443: enabled, up, weight 2, ramp 1000/1000");
    }

    @Test
    void reconfigure_serverEnabledInModel_rampsUnderSlowStart() {
        start(tiered(AdminState.DISABLED, SLOW_START, 1));
        engine.reconfigure(tiered(AdminState.ENABLED, SLOW_START, 1));
        advance(Duration.ofSeconds(10));
        assertThat(trace()).contains("candidate ex02 10.0.0.2:443: enabled, up, weight 1, ramp 100/1000")
                .contains("candidate ex01 10.0.0.1:443: enabled, up, weight 1, ramp 1000/1000");
    }

    @Test
    void agentWeight_raisedFromZero_rampsUnderSlowStart() {
        start(weighted(1, SLOW_START));
        engine.setAgentWishes("mail", "owa", "ex03", 0, AdminState.ENABLED, "agent: 0%");
        assertThat(spread()).doesNotContainKey("ex03");
        engine.setAgentWishes("mail", "owa", "ex03", 100, AdminState.ENABLED, "agent: 100%");
        advance(Duration.ofSeconds(10));
        assertThat(trace()).contains("candidate ex03 10.0.0.3:443: enabled, up, weight 1, ramp 100/1000");
        assertThat(spread().getOrDefault("ex03", 0)).isBetween(60, 260);
    }

    @Test
    void backupTier_switchingOn_rampsUnderSlowStart() {
        start(tiered(AdminState.ENABLED, SLOW_START, 2));
        assertThat(backups()).isZero();
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "GET /health: 503");
        advance(Duration.ofSeconds(10));
        assertThat(trace()).contains("backups active")
                .contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 100/1000")
                .contains("candidate ex01 10.0.0.1:443: enabled, up, weight 1, ramp 1000/1000");
        int early = backups();
        advance(Duration.ofSeconds(40));
        assertThat(trace()).contains("candidate dr02 10.1.0.2:443: enabled, up, weight 1, ramp 500/1000");
        int middle = backups();
        advance(Duration.ofSeconds(60));
        int full = backups();
        assertThat(full).as("two of three servers at full ramp: 2000 of 3000").isBetween(1850, 2150);
        assertThat(early).as("at 10%% the backups take a small share").isLessThan(full / 3);
        assertThat(middle).isBetween(early + 200, full - 200);
        assertThat(trace()).contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 1000/1000");
    }

    @Test
    void backupTier_withoutSlowStart_takesItsShareAtOnce() {
        start(tiered(AdminState.ENABLED, Duration.ZERO, 2));
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "GET /health: 503");
        assertThat(trace()).contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 1000/1000");
        assertThat(backups()).isBetween(1850, 2150);
    }

    @Test
    void backupTier_switchedOffAndOnAgain_rampsAfresh() {
        start(tiered(AdminState.ENABLED, SLOW_START, 2));
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "test");
        advance(Duration.ofSeconds(200));
        assertThat(trace()).contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 1000/1000");
        engine.setHealth("mail", "owa", "ex02", Health.UP, "test");
        assertThat(backups()).isZero();
        advance(Duration.ofSeconds(200)); // ex02's own ramp over
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "test");
        advance(Duration.ofSeconds(20));
        assertThat(trace()).contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 200/1000");
    }

    @Test
    void reconfigure_primaryDisabledInModel_backupTierRamps() {
        start(tiered(AdminState.ENABLED, SLOW_START, 2));
        engine.reconfigure(tiered(AdminState.DISABLED, SLOW_START, 2));
        advance(Duration.ofSeconds(10));
        assertThat(trace()).contains("backups active")
                .contains("candidate dr02 10.1.0.2:443: enabled, up, weight 1, ramp 100/1000");
        assertThat(backups()).isLessThan(2000 / 3);
    }

    @Test
    void reconfigure_whileBackupTierRamps_keepsItsRamp() {
        start(tiered(AdminState.ENABLED, SLOW_START, 2));
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "test");
        advance(Duration.ofSeconds(30));
        engine.reconfigure(tiered(AdminState.ENABLED, Duration.ofSeconds(100), 2)); // an equal model: a reload
        advance(Duration.ofSeconds(10));
        assertThat(trace()).contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 400/1000");
    }

    @Test
    void reconfigure_slowStartRemovedWhileBackupTierRamps_endsTheRamp() {
        start(tiered(AdminState.ENABLED, SLOW_START, 2));
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "test");
        advance(Duration.ofSeconds(10));
        engine.reconfigure(tiered(AdminState.ENABLED, Duration.ZERO, 2));
        assertThat(trace()).contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 1000/1000");
        assertThat(backups()).isBetween(1850, 2150);
    }

    @Test
    void backupTier_everyPrimaryOut_backupsTakeAllTrafficFromTheStart() {
        start(tiered(AdminState.ENABLED, SLOW_START, 1));
        engine.setHealth("mail", "owa", "ex01", Health.DOWN, "test");
        engine.setHealth("mail", "owa", "ex02", Health.DOWN, "test");
        advance(Duration.ofSeconds(1));
        assertThat(trace()).contains("backups active")
                .contains("candidate dr01 10.1.0.1:443: enabled, up, weight 1, ramp 1000/1000");
        Map<String, Integer> spread = spread();
        assertThat(spread).as("no one else can take it: nothing refused").containsOnlyKeys("dr01", "dr02");
        assertThat(spread.get("dr01")).isBetween(1300, 1700);
    }
}
