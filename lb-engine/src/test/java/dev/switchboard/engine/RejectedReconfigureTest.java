package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.AdminState;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.Health;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.Scheduling;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A reconfiguration that fails changes nothing: the new model is compiled and validated whole before any live
 * server state is touched. The failing part sits in the last sub-service, after a sub-service whose servers the
 * new model changes in every way that reaches live state (limit, weight, configured state, outlier detection).
 */
class RejectedReconfigureTest {

    /** Ways a model passes {@code LoadBalancer.build()} but fails to compile in the engine; NONE compiles. */
    enum Failure {
        NONE(""),
        REGEX_IN_MATCH("virtualServices[0].subServices[1].match[0].value"),
        REGEX_IN_RESPONSE_RULE("virtualServices[0].subServices[1].responseRules[0].pattern"),
        STORE_FACTORY_THROWS("virtualServices[0].subServices[1].persistence.store"),
        SCHEDULER_FACTORY_THROWS("virtualServices[0].subServices[1].scheduling");

        final String path;

        Failure(String path) {
            this.path = path;
        }
    }

    private final AtomicLong now = new AtomicLong(5_000_000_000L);
    private DispatchEngine engine;
    private LoadBalancer first;
    private Decision.Forward held;

    @BeforeEach
    void start() {
        first = model(false, Failure.NONE);
        engine = DispatchEngine.builder(first).ticker(now::get).build();
        held = holdLeaseOn("ex01"); // at its limit of 1 from now on
        assertThat(engine.setOutlierState("mail", "owa", "ex02", OutlierState.EJECTED, "5 failures")).isTrue();
        engine.setAdminState("mail", "owa", "ex03", AdminState.DRAINING, Duration.ZERO);
        engine.setHealth("mail", "owa", "ex04", Health.DOWN, "GET /health: 503");
        engine.setAgentWishes("mail", "ews", "ex02", 50, AdminState.ENABLED, "agent");
        for (int i = 0; i < 7; i++) {
            serverOf(engine.dispatch("mail", get("/ews/")));
        }
        assertThat(spreadOwa(10)).containsOnlyKeys("ex05");
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /**
     * The first model, or the changed one: the changes reach every live field of the servers of "owa", and
     * {@code failure} breaks the sub-service after it.
     */
    private static LoadBalancer model(boolean changed, Failure failure) {
        SubService.Builder owa = SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"));
        if (!changed) {
            owa.outlierDetection(OutlierDetection.builder().maxEjectionPercent(50).build());
        }
        owa.realServer(RealServer.builder("ex01", "10.0.0.1:443").maxConnections(changed ? 10 : 1).build())
                .realServer(RealServer.builder("ex02", "10.0.0.2:443").weight(changed ? 3 : 1).build())
                .realServer(RealServer.builder("ex03", "10.0.0.3:443")
                        .initialState(changed ? AdminState.DISABLED : AdminState.ENABLED).build())
                .realServer(RealServer.of("ex04", "10.0.0.4:443"))
                .realServer(RealServer.builder("ex05", "10.0.0.5:443").weight(changed ? 0 : 1).build());
        if (changed) {
            owa.realServer(RealServer.of("ex06", "10.0.0.6:443"));
        }
        SubService.Builder ews = SubService.builder("ews").asDefault()
                .realServer(RealServer.of("ex01", "10.0.0.1:443"))
                .realServer(RealServer.of("ex02", "10.0.0.2:443"));
        if (failure == Failure.REGEX_IN_MATCH) {
            ews.matchAny(ContentRule.path(MatchType.REGEX, "^/ews("));
        } else if (failure == Failure.REGEX_IN_RESPONSE_RULE) {
            ews.responseRule(HeaderRule.replaceHeader("Location", "http://(", "https://"));
        } else if (failure == Failure.STORE_FACTORY_THROWS) {
            ews.persistence(Persistence.builder(PersistenceMode.SOURCE_IP).store((timeout, max, ticker) -> {
                throw new IllegalStateException("no room for a table");
            }).build());
        } else if (failure == Failure.SCHEDULER_FACTORY_THROWS) {
            ews.scheduling(Scheduling.custom("broken", servers -> {
                throw new IllegalStateException("cannot schedule");
            }));
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).slowStart(Duration.ofSeconds(100))
                .subService(owa.build()).subService(ews.build()).build()).build();
    }

    private Decision.Forward holdLeaseOn(String server) {
        for (int i = 0; i < 20; i++) {
            Decision.Forward f = forward(engine.dispatch("mail", get("/owa/")));
            if (f.target().server().equals(server)) {
                return f;
            }
            f.release(Outcome.ofStatus(200, 0));
        }
        throw new AssertionError("no lease on " + server + " in 20 requests");
    }

    private Map<String, Integer> spreadOwa(int picks) {
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < picks; i++) {
            counts.merge(serverOf(engine.dispatch("mail", get("/owa/"))), 1, Integer::sum);
        }
        return counts;
    }

    private String trace() {
        return String.join("\n", engine.explain("mail", get("/owa/")).steps());
    }

    @ParameterizedTest
    @EnumSource(value = Failure.class, mode = EnumSource.Mode.EXCLUDE, names = "NONE")
    void reconfigure_failsAfterChangedServers_leavesEveryLiveStateAsItWas(Failure failure) {
        EngineStats before = engine.stats();
        String traceBefore = trace();

        assertThatThrownBy(() -> engine.reconfigure(model(true, failure)))
                .isInstanceOf(ConfigurationException.class)
                .satisfies(e -> assertThat(((ConfigurationException) e).violations())
                        .extracting(v -> v.path()).containsExactly(failure.path));

        assertThat(engine.stats()).isEqualTo(before); // admin states, health, outlier states, weights, counters
        assertThat(trace()).isEqualTo(traceBefore); // limits and ramps as the schedulers see them
        assertThat(engine.model()).isSameAs(first);
        assertThat(spreadOwa(20)).as("ex01 still at its limit of 1, ex02 ejected, ex03 draining, ex04 down")
                .containsOnlyKeys("ex05");
        held.release(Outcome.ofStatus(200, 0));
        assertThat(spreadOwa(20)).containsOnlyKeys("ex01", "ex05");
        RealServerStats ex01 = engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow();
        assertThat(ex01.activeConnections()).isZero();
        assertThat(ex01.totalRequests()).isEqualTo(before.findRealServer("mail", "owa", "ex01").orElseThrow()
                .totalRequests() + 10);
    }

    @Test
    void reconfigure_validAfterRejected_appliesEveryChange() {
        assertThatThrownBy(() -> engine.reconfigure(model(true, Failure.REGEX_IN_MATCH)))
                .isInstanceOf(ConfigurationException.class);

        engine.reconfigure(model(true, Failure.NONE));

        RealServerStats ex02 = engine.stats().findRealServer("mail", "owa", "ex02").orElseThrow();
        assertThat(ex02.outlierState()).as("outlier detection removed").isEqualTo(OutlierState.NORMAL);
        assertThat(ex02.weight()).isEqualTo(3);
        assertThat(engine.stats().findRealServer("mail", "owa", "ex03").orElseThrow().state())
                .as("the configured state was edited").isEqualTo(AdminState.DISABLED);
        assertThat(engine.stats().findRealServer("mail", "owa", "ex01").orElseThrow().activeConnections())
                .as("the held lease survives").isEqualTo(1);
        assertThat(engine.stats().findRealServer("mail", "ews", "ex02").orElseThrow().agentWeightPercent())
                .isEqualTo(50);
        now.addAndGet(Duration.ofSeconds(200).toNanos()); // past every slow start
        Map<String, Integer> spread = spreadOwa(600);
        assertThat(spread).as("ex01 under its new limit of 10; ex04 down, ex05 weight 0")
                .containsOnlyKeys("ex01", "ex02", "ex06");
        held.release(Outcome.ofStatus(200, 0));
    }
}
