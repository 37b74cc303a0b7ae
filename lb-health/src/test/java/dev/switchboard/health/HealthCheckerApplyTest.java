package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.ContentRule;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.testing.Eventually;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link HealthChecker#apply(LoadBalancer)} against a real HTTP server (the JDK's): the checked targets follow the
 * model, a reload that keeps a check keeps its state, and a check removed from the model stops being probed.
 */
class HealthCheckerApplyTest {

    private final RecordingSink sink = new RecordingSink();
    private final RecordingListener listener = new RecordingListener();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    /** Each request waits for a permit here when {@link #gated} is set: the test decides when a probe completes. */
    private final Semaphore permits = new Semaphore(0);
    private final AtomicInteger status = new AtomicInteger(200);
    private volatile boolean gated;
    private ExecutorService handlers;
    private HttpServer server;
    private HealthChecker checker;

    @BeforeEach
    void setUp() throws IOException {
        handlers = Executors.newCachedThreadPool();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.setExecutor(handlers);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try {
                if (gated && !permits.tryAcquire(10, TimeUnit.SECONDS)) {
                    exchange.close();
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        server.start();
        checker = HealthChecker.builder(sink).listener(listener).seed(7).build();
    }

    @AfterEach
    void tearDown() {
        checker.close();
        server.stop(0);
        handlers.shutdownNow();
    }

    private int requests(String path) {
        AtomicInteger n = requests.get(path);
        return n == null ? 0 : n.get();
    }

    private String server() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private static HealthCheck.Builder fast(String path) {
        return HealthCheck.http().path(path).interval(Duration.ofMillis(30)).timeout(Duration.ofSeconds(20)).jitter(0);
    }

    private SubService sub(String name, HealthCheck check) {
        SubService.Builder b = SubService.builder(name).matchAny(ContentRule.pathPrefix("/" + name))
                .realServer(RealServer.of("s1", server()));
        return (check == null ? b : b.healthCheck(check)).build();
    }

    private static LoadBalancer model(SubService... subs) {
        VirtualService.Builder vs = VirtualService.builder("web").listen("127.0.0.1:8080");
        for (SubService s : subs) {
            vs.subService(s);
        }
        vs.subService(SubService.builder("rest").asDefault().realServer(RealServer.of("s9", "127.0.0.1:9")).build());
        return LoadBalancer.builder().virtualService(vs.build()).build();
    }

    private void apply(LoadBalancer lb) throws Exception {
        checker.apply(lb).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private List<String> reasonsFor(String sub) {
        return sink.reports.stream().filter(r -> r.subService().equals(sub)).map(RecordingSink.Report::reason).toList();
    }

    private long reportsFor(String sub) {
        return sink.reports.stream().filter(r -> r.subService().equals(sub)).count();
    }

    @Test
    void apply_reloadKeepingACheck_keepsVerdictAndFailureStreak() throws Exception {
        gated = true;
        HealthCheck check = fast("/a/health").rise(1).fall(2).build();
        apply(model(sub("a", check)));
        assertThat(checker.findHealth("web", "a", "s1")).contains(Health.DOWN); // not checked yet

        permits.release(); // probe 1: 200, up (rise 1)
        Eventually.until("a up", () -> checker.findHealth("web", "a", "s1").equals(Optional.of(Health.UP)));
        status.set(500);
        permits.release(); // probe 2: 500, first failure of fall 2: still up
        Eventually.until("second probe judged", () -> checker.findLastProbe("web", "a", "s1")
                .filter(p -> p.status() == 500).isPresent());
        assertThat(checker.findHealth("web", "a", "s1")).contains(Health.UP);
        long reportsBefore = reportsFor("a");

        // a reload that adds a sub-service and builds an equal check anew
        apply(model(sub("a", fast("/a/health").rise(1).fall(2).build()), sub("b", null)));
        assertThat(checker.findHealth("web", "a", "s1")).contains(Health.UP);
        assertThat(checker.findLastProbe("web", "a", "s1")).map(ProbeResult::status).contains(500);
        assertThat(reportsFor("a")).as("nothing re-reported for a kept target").isEqualTo(reportsBefore);

        permits.release(); // probe 3: 500, second failure in a row: down, which a reset streak would not reach
        // the verdict is readable before the sink and then the listener are told: wait for the last of them
        Eventually.until("a down, told to the sink and the listener", () -> listener.transitions.size() == 2);
        assertThat(checker.findHealth("web", "a", "s1")).contains(Health.DOWN);
        assertThat(sink.lastIs("a", "s1", Health.DOWN, "status 500")).isTrue();
        assertThat(requests("/a/health")).as("one probe in flight at a time, none started afresh").isEqualTo(3);
        assertThat(listener.transitions).extracting(HealthTransition::to).containsExactly(Health.UP, Health.DOWN);
    }

    @Test
    void apply_checkRemovedFromSubService_stopsProbingIt() throws Exception {
        apply(model(sub("a", fast("/a/health").build()), sub("b", fast("/b/health").build())));
        Eventually.until("both probed", () -> requests("/a/health") > 0 && requests("/b/health") > 0);

        apply(model(sub("a", fast("/a/health").build()), sub("b", null)));
        assertThat(checker.findHealth("web", "b", "s1")).isEmpty();
        assertThat(checker.findHealth("web", "a", "s1")).isPresent();
        int aAfter = requests("/a/health");
        Eventually.until("a probed once more", () -> requests("/a/health") > aAfter);
        int b = requests("/b/health"); // a probe in flight during apply has landed by now
        int a = requests("/a/health");
        Eventually.until("a probed five times more", () -> requests("/a/health") >= a + 5);
        assertThat(requests("/b/health")).as("b's probes stopped").isEqualTo(b);
    }

    @Test
    void apply_checkChanged_probesTheNewPathOnly_keepingTheVerdictUntilItsFirstProbe() throws Exception {
        apply(model(sub("a", fast("/a/old").build())));
        Eventually.until("a up", () -> checker.findHealth("web", "a", "s1").equals(Optional.of(Health.UP)));

        apply(model(sub("a", fast("/a/new").build())));
        assertThat(checker.findHealth("web", "a", "s1")).as("not taken out by the edit").contains(Health.UP);
        assertThat(reasonsFor("a")).anyMatch(r -> r.startsWith("check changed, verdict kept until its first probe"));
        Eventually.until("new path probed", () -> requests("/a/new") > 0);
        int old = requests("/a/old");
        int fresh = requests("/a/new");
        Eventually.until("new path probed five times more", () -> requests("/a/new") >= fresh + 5);
        assertThat(requests("/a/old")).isEqualTo(old);
        assertThat(listener.of("a")).extracting(HealthTransition::to).containsExactly(Health.UP);

        apply(model(sub("a", fast("/a/new").expectStatus(204).rise(3).fall(3).build())));
        Eventually.until("a down on the new check's first probe", () -> sink.lastIs("a", "s1", Health.DOWN, "status 200"));
        assertThat(listener.of("a")).extracting(HealthTransition::to).containsExactly(Health.UP, Health.DOWN);
    }

    @Test
    void apply_serverMovedToAnotherAddress_startsAfreshInTheCheckInitialState() throws Exception {
        HealthCheck check = fast("/a/health").build();
        apply(model(sub("a", check)));
        Eventually.until("a up", () -> checker.findHealth("web", "a", "s1").equals(Optional.of(Health.UP)));

        LoadBalancer moved = model(SubService.builder("a").matchAny(ContentRule.pathPrefix("/a"))
                .realServer(RealServer.of("s1", "127.0.0.1:" + TestServers.closedPort())).healthCheck(check).build());
        apply(moved);
        assertThat(reasonsFor("a")).filteredOn("not checked yet"::equals).hasSize(2); // on each start
        Eventually.until("a down: connection refused", () -> sink.lastIs("a", "s1", Health.DOWN, "connection refused"));
    }

    @Test
    void apply_modelWithoutChecks_removesEveryTarget_andSubServicesWithoutCheckAreNotProbed() throws Exception {
        apply(model(sub("a", fast("/a/health").build()), sub("b", null)));
        Eventually.until("a probed", () -> requests("/a/health") > 0);
        assertThat(checker.findHealth("web", "b", "s1")).isEmpty();
        assertThat(checker.findHealth("web", "rest", "s9")).isEmpty();

        apply(model(sub("a", null)));
        assertThat(checker.findHealth("web", "a", "s1")).isEmpty();
        assertThat(requests.keySet()).containsExactly("/a/health");
    }

    @Test
    void apply_invalidBodyPattern_throwsWithItsPath_andChangesNothing() throws Exception {
        apply(model(sub("a", fast("/a/health").build())));
        Eventually.until("a up", () -> checker.findHealth("web", "a", "s1").equals(Optional.of(Health.UP)));

        LoadBalancer bad = model(sub("a", null), sub("b", fast("/b/health").bodyPattern("a(?=b)").build()));
        assertThatThrownBy(() -> checker.apply(bad))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.getMessage())
                        .contains("virtualServices[0].subServices[1].healthCheck.bodyPattern: a(?=b)"
                                + " (expected: an RE2J regular expression:"));
        assertThat(checker.findHealth("web", "a", "s1")).contains(Health.UP);
        assertThat(checker.findHealth("web", "b", "s1")).isEmpty();
    }

    @Test
    void apply_afterClose_completesExceptionally() {
        checker.close();
        assertThat(checker.apply(model(sub("a", fast("/a/health").build()))).toCompletableFuture())
                .isCompletedExceptionally();
    }
}
