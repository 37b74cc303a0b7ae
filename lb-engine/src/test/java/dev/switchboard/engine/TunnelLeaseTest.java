package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A lease that became a tunnel: held and counted as an open tunnel until released; a drain waits for it. */
class TunnelLeaseTest {

    private final DispatchEngine engine = DispatchEngine.create(LoadBalancer.builder()
            .virtualService(VirtualService.builder("chat").subService(SubService.builder("live").asDefault()
                    .realServer(RealServer.of("s1", "10.0.0.1:80")).build()).build()).build());

    @AfterEach
    void close() {
        engine.close();
    }

    private RealServerStats s1() {
        return engine.stats().findRealServer("chat", "live", "s1").orElseThrow();
    }

    @Test
    void onTunnel_countsAnOpenTunnel_untilRelease() {
        Decision.Forward lease = forward(engine.dispatch("chat", get("/ws")));
        lease.onTunnel();
        lease.onTunnel(); // once only
        assertThat(s1().openTunnels()).isEqualTo(1);
        assertThat(s1().activeConnections()).isEqualTo(1);
        assertThat(engine.stats().virtualServices().get(0).openTunnels()).isEqualTo(1);
        assertThat(lease.isReleased()).isFalse();

        lease.release(Outcome.ofStatus(101, 1_000));
        lease.release(Outcome.ofStatus(101, 1_000));
        assertThat(s1().openTunnels()).isZero();
        assertThat(s1().activeConnections()).isZero();
        assertThat(s1().failures()).isZero();
        assertThat(lease.isReleased()).isTrue();
    }

    @Test
    void onTunnel_afterRelease_countsNothing() {
        Decision.Forward lease = forward(engine.dispatch("chat", get("/ws")));
        lease.release(Outcome.ofStatus(200, 1_000));
        lease.onTunnel();
        assertThat(s1().openTunnels()).isZero();
        assertThat(s1().activeConnections()).isZero();
    }

    @Test
    void drain_completesOnlyWhenTheTunnelCloses() {
        Decision.Forward tunnel = forward(engine.dispatch("chat", get("/ws")));
        tunnel.onTunnel();
        CompletableFuture<Boolean> drained = engine.setAdminState("s1", AdminState.DRAINING, Duration.ofMinutes(1));
        assertThat(drained).isNotDone();
        tunnel.release(Outcome.ofStatus(101, 1_000));
        assertThat(drained).isCompletedWithValue(true);
    }
}
