package dev.switchboard.engine;

import static dev.switchboard.engine.Requests.ip;
import static dev.switchboard.engine.Requests.request;
import static dev.switchboard.engine.Requests.serverOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import dev.switchboard.engine.internal.persist.PersistenceStores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reconfiguration that keeps a persistence table but removes real servers from the pools it serves drops their
 * entries at once ({@link PersistenceStore#removeServers}); the other pins stay, and a server still in another pool
 * of a shared table keeps its entries.
 */
class RemovedServersPersistenceTest {

    private DispatchEngine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Virtual service "app": sub-service "web" with {@code web}, and "api" with ex09, sharing one table. */
    private static LoadBalancer model(PersistenceStoreFactory store, Set<String> web) {
        Persistence.Builder p = Persistence.builder(PersistenceMode.SOURCE_IP).timeout(Duration.ofMinutes(30))
                .shared(true);
        if (store != null) {
            p.store(store);
        }
        SubService.Builder pool = SubService.builder("web").asDefault();
        web.stream().sorted().forEach(n -> pool.realServer(RealServer.of(n, "10.0.0." + n.substring(3) + ":443")));
        SubService api = SubService.builder("api").match(ContentMatch.any(ContentRule.pathPrefix("/api")))
                .realServer(RealServer.of("ex09", "10.0.0.9:443")).build();
        return LoadBalancer.builder().virtualService(VirtualService.builder("app")
                .scheduling(SchedulingMethod.ROUND_ROBIN).persistence(p.build()).subService(pool.build())
                .subService(api).build()).build();
    }

    private String visit(int client) {
        return serverOf(engine.dispatch("app", request("/").source(ip("198.51.100." + client)).build()));
    }

    private String pinnedTo(int client) {
        String trace = engine.explain("app", request("/").source(ip("198.51.100." + client)).build()).toString();
        int at = trace.indexOf("client is on ");
        return at < 0 ? null : trace.substring(at + 13, trace.indexOf(',', at));
    }

    private long entries() {
        return engine.stats().findVirtualService("app").orElseThrow().persistenceEntries();
    }

    @ParameterizedTest
    @ValueSource(strings = {"table", "caffeine"})
    void reconfigureWithoutAServer_dropsItsEntries_andKeepsTheOtherPins(String kind) {
        PersistenceStoreFactory store = kind.equals("caffeine") ? PersistenceStores.caffeine() : null;
        engine = DispatchEngine.builder(model(store, Set.of("ex01", "ex02", "ex03"))).build();
        Map<Integer, String> pins = new HashMap<>();
        for (int c = 0; c < 30; c++) {
            pins.put(c, visit(c));
        }
        assertThat(pins.values()).contains("ex01", "ex02", "ex03");

        engine.reconfigure(model(store, Set.of("ex01", "ex03")));

        long onEx02 = pins.values().stream().filter("ex02"::equals).count();
        assertThat(entries()).isEqualTo(30 - onEx02);
        pins.forEach((c, server) -> assertThat(pinnedTo(c)).as("client %d was on %s", c, server)
                .isEqualTo(server.equals("ex02") ? null : server));
    }

    @Test
    void reconfigure_removedServersOnly_areNamed_andAServerStillInASharingPoolIsNot() {
        List<long[]> calls = new CopyOnWriteArrayList<>();
        List<PersistenceStore> made = new ArrayList<>();
        PersistenceStoreFactory recording = (timeout, max, ticker) -> {
            PersistenceStore inner = PersistenceStores.table().create(timeout, max, ticker);
            PersistenceStore s = new RecordingStore(inner, calls);
            made.add(s);
            return s;
        };
        engine = DispatchEngine.builder(model(recording, Set.of("ex01", "ex02", "ex09"))).build();
        Map<Integer, String> pins = new HashMap<>();
        for (int c = 0; c < 30; c++) {
            pins.put(c, visit(c));
        }
        int ex02Client = pins.entrySet().stream().filter(e -> e.getValue().equals("ex02")).findFirst()
                .orElseThrow().getKey();
        long ex02Id = made.get(0).get(ipKey(ex02Client));

        engine.reconfigure(model(recording, Set.of("ex01", "ex03"))); // ex09 leaves "web" but stays in "api"
        engine.reconfigure(model(recording, Set.of("ex01", "ex03"))); // nothing removed: no call

        assertThat(made).as("the table was kept").hasSize(1);
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsExactly(ex02Id);
    }

    /** The source-IP key of client {@code c}: the IPv4 address itself, tagged (see Keys.address). */
    private static long ipKey(int c) {
        return (1L << 40) | (198L << 24) | (51L << 16) | (100L << 8) | c;
    }

    /** A built-in table that records the removeServers calls it gets. */
    private record RecordingStore(PersistenceStore inner, List<long[]> calls) implements PersistenceStore {
        @Override
        public long get(long key) {
            return inner.get(key);
        }

        @Override
        public void put(long key, long serverId) {
            inner.put(key, serverId);
        }

        @Override
        public boolean remove(long key) {
            return inner.remove(key);
        }

        @Override
        public long size() {
            return inner.size();
        }

        @Override
        public void removeServers(long[] serverIds) {
            calls.add(serverIds);
            inner.removeServers(serverIds);
        }
    }
}
