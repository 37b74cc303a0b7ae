package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.forward;
import static dev.switchboard.engine.Requests.get;
import static dev.switchboard.engine.Requests.ip;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Decision;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.MatchType;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.event.ConfigurationEvent;
import dev.switchboard.api.event.EngineListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a reconfiguration hands from the old routing table to the new one, and when it swaps nothing at all: the
 * positions of the schedulers survive a swap for sub-services that keep their names, a model equal to the one in
 * force is not swapped, and a model that fails leaves positions and persistence entries in force.
 */
class ReloadContinuityTest {

    private final List<ConfigurationEvent> configurations = new CopyOnWriteArrayList<>();
    private final List<DispatchEngine> engines = new ArrayList<>();

    @AfterEach
    void close() {
        engines.forEach(DispatchEngine::close);
    }

    private DispatchEngine engine(LoadBalancer model) {
        DispatchEngine engine = DispatchEngine.builder(model).listener(new EngineListener() {
            @Override
            public void onConfiguration(ConfigurationEvent event) {
                configurations.add(event);
            }
        }).build();
        engines.add(engine);
        return engine;
    }

    /**
     * Virtual service "mail": sub-service "owa" (the one under test: 3 servers, weights 3, 2, 1, {@code method}),
     * and a default sub-service "ews" whose only server is {@code ewsServer}, the change made "elsewhere".
     */
    private static LoadBalancer model(SchedulingMethod method, String ewsServer, Persistence owaPersistence) {
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa")).scheduling(method)
                        .persistence(owaPersistence)
                        .realServer(RealServer.builder("ex01", "10.0.0.1:443").weight(3).build())
                        .realServer(RealServer.builder("ex02", "10.0.0.2:443").weight(2).build())
                        .realServer(RealServer.builder("ex03", "10.0.0.3:443").weight(1).build())
                        .build())
                .subService(SubService.builder("ews").asDefault()
                        .realServer(RealServer.of(ewsServer, "10.0.1.1:443")).build())
                .build()).build();
    }

    private static LoadBalancer model(SchedulingMethod method, String ewsServer) {
        return model(method, ewsServer, Persistence.NONE);
    }

    private static List<String> picks(DispatchEngine engine, int count) {
        List<String> servers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            servers.add(serverOf(engine.dispatch("mail", get("/owa/"))));
        }
        return servers;
    }

    @Test
    void reconfigure_changeElsewhere_roundRobinGoesOnToTheThirdServer() {
        DispatchEngine engine = engine(model(SchedulingMethod.ROUND_ROBIN, "ews01"));
        List<String> firstTwo = picks(engine, 2);
        assertThat(firstTwo).doesNotHaveDuplicates();

        assertThat(engine.reconfigure(model(SchedulingMethod.ROUND_ROBIN, "ews02"))).isTrue();

        String third = picks(engine, 1).get(0);
        assertThat(third).as("the position at the third server survives the swap")
                .isIn("ex01", "ex02", "ex03").isNotIn(firstTwo);
        assertThat(configurations).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(value = SchedulingMethod.class, names = {"ROUND_ROBIN", "WEIGHTED_ROUND_ROBIN", "LEAST_CONNECTION"})
    void reconfigure_changeElsewhere_schedulerWalksOnAsIfNothingHappened(SchedulingMethod method) {
        DispatchEngine reloaded = engine(model(method, "ews01"));
        DispatchEngine untouched = engine(model(method, "ews01"));
        List<String> before = picks(reloaded, 4);

        reloaded.reconfigure(model(method, "ews02"));

        List<String> after = picks(reloaded, 8);
        List<String> expected = picks(untouched, 12);
        assertThat(before).isEqualTo(expected.subList(0, 4));
        assertThat(after).as("the same thread, the same walk: nothing restarted at the swap")
                .isEqualTo(expected.subList(4, 12));
    }

    @Test
    void reconfigure_equalButNewModel_swapsNothingAndSendsNoEvent() {
        LoadBalancer first = model(SchedulingMethod.ROUND_ROBIN, "ews01");
        DispatchEngine engine = engine(first);
        List<String> firstTwo = picks(engine, 2);

        LoadBalancer equal = model(SchedulingMethod.ROUND_ROBIN, "ews01");
        assertThat(equal).isNotSameAs(first).isEqualTo(first);
        assertThat(engine.reconfigure(equal)).isFalse();

        assertThat(engine.model()).as("the table compiled from the first model is still in force").isSameAs(first);
        assertThat(configurations).isEmpty();
        assertThat(picks(engine, 1).get(0)).isNotIn(firstTwo);

        LoadBalancer changed = model(SchedulingMethod.ROUND_ROBIN, "ews02");
        assertThat(engine.reconfigure(changed)).isTrue();
        assertThat(engine.model()).isSameAs(changed);
        assertThat(configurations).singleElement().satisfies(e -> {
            assertThat(e.previous()).isSameAs(first);
            assertThat(e.current()).isSameAs(changed);
        });
    }

    @Test
    void reconfigure_invalid_keepsTablePositionPersistenceEntriesAndCounters() {
        Persistence sourceIp = Persistence.of(PersistenceMode.SOURCE_IP);
        LoadBalancer first = model(SchedulingMethod.ROUND_ROBIN, "ews01", sourceIp);
        DispatchEngine engine = engine(first);
        String y = serverOf(engine.dispatch("mail", request("/owa/").source(ip("192.0.2.20")).build()));
        String x = serverOf(engine.dispatch("mail", request("/owa/").source(ip("192.0.2.10")).build()));
        assertThat(x).isNotEqualTo(y);
        EngineStats before = engine.stats();

        LoadBalancer invalid = LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(SubService.builder("owa").asDefault().matchAny(ContentRule.path(MatchType.REGEX, "^/(owa"))
                        .realServer(RealServer.of("ex09", "10.0.0.9:443")).build())
                .build()).build();
        assertThatThrownBy(() -> engine.reconfigure(invalid)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("virtualServices[0].subServices[0].match[0].value");

        assertThat(engine.model()).isSameAs(first);
        assertThat(engine.stats()).as("states and counters").isEqualTo(before);
        assertThat(configurations).isEmpty();
        assertThat(serverOf(engine.dispatch("mail", request("/owa/").source(ip("192.0.2.10")).build())))
                .as("the persistence entry of 192.0.2.10 is still in force").isEqualTo(x);
        assertThat(serverOf(engine.dispatch("mail", request("/owa/").source(ip("192.0.2.30")).build())))
                .as("a new client gets the round robin's next server, the one neither earlier client got")
                .isNotIn(x, y);
    }

    @Test
    void reconfigure_requestsQueuedBeforeAndAfter_areServedInOneLineByReleasesOfEitherTable() {
        DispatchEngine engine = engine(queueModel("ews01"));
        Decision.Forward held = forward(engine.dispatch("mail", get("/owa/")));
        Decision.Queued before = queued(engine.dispatch("mail", get("/owa/before")));

        engine.reconfigure(queueModel("ews02"));
        Decision.Queued after = queued(engine.dispatch("mail", get("/owa/after")));
        assertThat(engine.stats().virtualServices().get(0).subServices().get(0).waiting()).isEqualTo(2);

        held.release(Outcome.ofStatus(200, 0));
        Decision.Forward first = forward(before.future().getNow(null));
        assertThat(first.path()).isEqualTo("/owa/before");
        assertThat(after.future()).as("still waiting: the one slot is taken").isNotDone();
        first.release(Outcome.ofStatus(200, 0)); // a lease of the old table serves the new table's waiter
        Decision.Forward second = forward(after.future().getNow(null));
        assertThat(second.path()).isEqualTo("/owa/after");
        second.release(Outcome.ofStatus(200, 0));
    }

    /** "owa" with one server that takes one connection at a time and a wait queue of 4; "ews" as above. */
    private static LoadBalancer queueModel(String ewsServer) {
        return LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa"))
                        .queue(4, Duration.ofMinutes(1))
                        .realServer(RealServer.builder("ex01", "10.0.0.1:443").maxConnections(1).build()).build())
                .subService(SubService.builder("ews").asDefault()
                        .realServer(RealServer.of(ewsServer, "10.0.1.1:443")).build())
                .build()).build();
    }

    private static Decision.Queued queued(Decision d) {
        assertThat(d).isInstanceOf(Decision.Queued.class);
        return (Decision.Queued) d;
    }
}
