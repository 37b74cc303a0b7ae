package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.ip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Protocol;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Scheduling;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.TcpConnection;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.Scheduler;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Layer4DispatchTest {

    private static LoadBalancer tcp(Scheduling scheduling) {
        SubService.Builder pool = SubService.builder("pool").asDefault();
        for (int i = 1; i <= 5; i++) {
            pool.realServer(RealServer.of("imap" + i, "10.0.1." + i + ":993"));
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder("imap").protocol(Protocol.TCP)
                .listen("0.0.0.0:993").scheduling(scheduling).subService(pool.build()).build()).build();
    }

    @Test
    void connection_goesToDefaultSubService_withRootPathAndLease() {
        try (DispatchEngine engine = DispatchEngine.create(tcp(Scheduling.of(SchedulingMethod.ROUND_ROBIN)))) {
            Decision.Forward f = forward(engine.dispatch("imap", TcpConnection.of(ip("192.0.2.1"), 993)));
            assertThat(f.target().subService()).isEqualTo("pool");
            assertThat(f.path()).isEqualTo("/");
            assertThat(f.requestEdits()).isEmpty();
            assertThat(engine.stats().findVirtualService("imap").orElseThrow().activeConnections()).isEqualTo(1);
            f.release(Outcome.ofStatus(0, 0));
            assertThat(engine.stats().findVirtualService("imap").orElseThrow().activeConnections()).isZero();
        }
    }

    @Test
    void sourceIpHash_sameClientSameServer_andClientsSpread() {
        try (DispatchEngine engine = DispatchEngine.create(tcp(Scheduling.of(SchedulingMethod.SOURCE_IP_HASH)))) {
            Map<String, Integer> spread = new HashMap<>();
            for (int c = 0; c < 500; c++) {
                TcpConnection conn = TcpConnection.of(ip("198.51." + (c / 250) + "." + (c % 250)), 993);
                Decision.Forward first = forward(engine.dispatch("imap", conn));
                Decision.Forward again = forward(engine.dispatch("imap", conn));
                assertThat(again.target().server()).isEqualTo(first.target().server());
                spread.merge(first.target().server(), 1, Integer::sum);
                first.release(Outcome.ofStatus(0, 0));
                again.release(Outcome.ofStatus(0, 0));
            }
            assertThat(spread).hasSize(5);
            assertThat(spread.values()).allSatisfy(n -> assertThat(n).isBetween(50, 150));
        }
    }

    @Test
    void customScheduler_isUsed_andOneThatThrowsYields503NotAnException() {
        Scheduling last = Scheduling.custom("last-eligible", set -> (servers, hash) -> {
            for (int i = servers.size() - 1; i >= 0; i--) {
                if (servers.isEligible(i)) {
                    return i;
                }
            }
            return Scheduler.NONE;
        });
        try (DispatchEngine engine = DispatchEngine.create(tcp(last))) {
            Decision.Forward f = forward(engine.dispatch("imap", TcpConnection.of(ip("192.0.2.1"), 993)));
            assertThat(f.target().server()).isEqualTo("imap5");
            f.release(Outcome.ofStatus(0, 0));
        }
        Scheduling broken = Scheduling.custom("broken", set -> (servers, hash) -> {
            throw new IllegalStateException("boom");
        });
        try (DispatchEngine engine = DispatchEngine.create(tcp(broken))) {
            Decision d = engine.dispatch("imap", TcpConnection.of(ip("192.0.2.1"), 993));
            assertThat(d).isInstanceOfSatisfying(Decision.Respond.class, r -> assertThat(r.status()).isEqualTo(503));
        }
    }

    @Test
    void explain_layer4Connection_listsTheStepsInTheOrderTheyRan_andTakesNoSlot() {
        LoadBalancer model = LoadBalancer.builder().virtualService(VirtualService.builder("imap")
                .protocol(Protocol.TCP).listen("0.0.0.0:993").subService(SubService.builder("pool").asDefault()
                        .persistence(Persistence.builder(PersistenceMode.SSL_SESSION_ID)
                                .fallback(PersistenceMode.SOURCE_IP).build())
                        .realServer(RealServer.of("imap1", "10.0.1.1:993"))
                        .realServer(RealServer.of("imap2", "10.0.1.2:993")).build()).build()).build();
        try (DispatchEngine engine = DispatchEngine.create(model)) {
            TcpConnection hello = new TcpConnection(ip("192.0.2.7"), 993, "imap.example.com", "ab12");

            DecisionTrace trace = engine.explain("imap", hello);

            List<String> steps = trace.steps();
            assertThat(steps.get(0)).isEqualTo("virtual service 'imap' (layer 4): sub-service 'pool' (default)");
            assertThat(steps.get(1))
                    .isEqualTo("persistence keys read from the connection: source 192.0.2.7, sniffed session ID ab12");
            assertThat(steps.get(2)).startsWith("sub-service 'pool', scheduler");
            assertThat(steps.get(steps.size() - 1)).startsWith("picked imap");
            assertThat(trace.decision()).isInstanceOf(Decision.Forward.class);
            assertThat(engine.stats().findVirtualService("imap").orElseThrow().activeConnections()).isZero();
        }
    }
}
