package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.ip;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import dev.switchboard.engine.internal.persist.PersistenceStores;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reconfiguration that changes only the timeout or {@code maxEntries} of a persistence keeps its table: the pins
 * stay, the new timeout applies (on the injected ticker), a smaller bound evicts down to it; a rejected
 * reconfiguration changes nothing.
 */
class PersistenceReconfigureTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private static LoadBalancer model(Duration timeout, int maxEntries, String store) {
        Persistence.Builder p = Persistence.builder(PersistenceMode.SOURCE_IP).timeout(timeout).maxEntries(maxEntries);
        if (store.equals("caffeine")) {
            p.store(PersistenceStores.caffeine());
        }
        SubService.Builder pool = SubService.builder("pool").asDefault();
        for (int i = 1; i <= 3; i++) {
            pool.realServer(RealServer.of("ex0" + i, "10.0.0." + i + ":443"));
        }
        return LoadBalancer.builder().virtualService(VirtualService.builder("app")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(p.build()).subService(pool.build()).build())
                .build();
    }

    private String visit(int client) {
        return serverOf(engine.dispatch("app", request("/").source(ip("198.51.100." + client)).build()));
    }

    /** Pins clients 0..n-1 and returns where each went. */
    private Map<Integer, String> pin(int n) {
        Map<Integer, String> pins = new HashMap<>();
        for (int c = 0; c < n; c++) {
            pins.put(c, visit(c));
        }
        return pins;
    }

    /** The server persistence keeps client {@code client} on, read from a dry-run trace; null when none. */
    private String pinnedTo(int client) {
        String trace = engine.explain("app", request("/").source(ip("198.51.100." + client)).build()).toString();
        int at = trace.indexOf("client is on ");
        return at < 0 ? null : trace.substring(at + 13, trace.indexOf(',', at));
    }

    private long entries() {
        return engine.stats().findVirtualService("app").orElseThrow().persistenceEntries();
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    private void start(LoadBalancer model) {
        engine = DispatchEngine.builder(model).ticker(now::get).build();
    }

    /** Starts with {@code from}, pins six clients, reconfigures to {@code to}: the six entries stay. */
    private Map<Integer, String> pinSixThenRetime(Duration from, Duration to, String store) {
        start(model(from, 100, store));
        Map<Integer, String> pins = pin(6);
        engine.reconfigure(model(to, 100, store));
        assertThat(entries()).isEqualTo(6);
        return pins;
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "caffeine"})
    void longerTimeout_keepsThePins_andTheyOutliveTheOldTimeout(String store) {
        Map<Integer, String> pins = pinSixThenRetime(Duration.ofMinutes(10), Duration.ofMinutes(30), store);
        advance(Duration.ofMinutes(20));
        pins.forEach((c, server) -> assertThat(pinnedTo(c)).as("client %d, idle 20 of 30 minutes", c)
                .isEqualTo(server));
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "caffeine"})
    void shorterTimeout_keepsThePins_andTheNewTimeoutApplies(String store) {
        Map<Integer, String> pins = pinSixThenRetime(Duration.ofMinutes(30), Duration.ofMinutes(5), store);
        advance(Duration.ofMinutes(4));
        pins.forEach((c, server) -> assertThat(pinnedTo(c)).as("client %d within 5 minutes", c).isEqualTo(server));
        advance(Duration.ofMinutes(6));
        for (int c = 0; c < 6; c++) {
            assertThat(pinnedTo(c)).as("client %d idle 6 minutes past a 5-minute timeout: no pin", c).isNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "caffeine"})
    void smallerMaxEntries_evictsDownToIt_andKeepsTheRest(String store) {
        start(model(Duration.ofMinutes(30), 100, store));
        Map<Integer, String> pins = pin(60);
        engine.reconfigure(model(Duration.ofMinutes(30), 20, store));
        assertThat(entries()).isLessThanOrEqualTo(20).isGreaterThan(10);
        int kept = 0;
        for (int c = 0; c < 60; c++) {
            String on = pinnedTo(c);
            if (on != null) {
                assertThat(on).as("a kept pin still names its server").isEqualTo(pins.get(c));
                kept++;
            }
        }
        assertThat(kept).isEqualTo(entries());
        for (int c = 100; c < 140; c++) {
            visit(c);
        }
        assertThat(entries()).as("new clients stay within the new bound").isLessThanOrEqualTo(20);
    }

    @Test
    void rejectedReconfiguration_changesNeitherTheTimeoutNorThePins() {
        String store = "table";
        start(model(Duration.ofMinutes(30), 100, store));
        Map<Integer, String> pins = pin(6);
        PersistenceStoreFactory failing = (t, m, ticker) -> {
            throw new IllegalStateException("no store today");
        };
        LoadBalancer bad = LoadBalancer.builder().virtualService(model(Duration.ofMinutes(1), 100, store)
                .virtualServices().get(0)).virtualService(VirtualService.builder("other")
                .persistence(Persistence.builder(PersistenceMode.SOURCE_IP).store(failing).build())
                .subService(SubService.builder("pool").asDefault().realServer(RealServer.of("x", "10.0.0.9:443"))
                        .build()).build()).build();
        assertThatThrownBy(() -> engine.reconfigure(bad)).hasMessageContaining("persistence.store");
        advance(Duration.ofMinutes(20));
        pins.forEach((c, server) -> assertThat(pinnedTo(c)).as("still the 30-minute timeout").isEqualTo(server));
    }
}
