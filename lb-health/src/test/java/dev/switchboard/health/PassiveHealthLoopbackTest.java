package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HttpRequest;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.Outcome;
import dev.switchboard.api.OutlierDetection;
import dev.switchboard.api.OutlierState;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.DispatchEngine;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Passive detection with real traffic: a small proxy loop dispatches, calls a real loopback server with
 * {@link HttpClient}, and releases the lease with the status that came over the wire.
 */
class PassiveHealthLoopbackTest {

    @StartStop
    private final MockWebServer bad = new MockWebServer();
    @StartStop
    private final MockWebServer good = new MockWebServer();

    private final AtomicInteger badStatus = new AtomicInteger(503);
    private final AtomicLong now = new AtomicLong();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private DispatchEngine engine;
    private OutlierDetector detector;

    @BeforeEach
    void start() {
        bad.setDispatcher(answering(badStatus));
        good.setDispatcher(answering(new AtomicInteger(200)));
        SubService owa = SubService.builder("owa").asDefault()
                .outlierDetection(OutlierDetection.builder().consecutiveFailures(3).halfOpenCalls(2).build())
                .realServer(RealServer.of("bad", "127.0.0.1:" + bad.getPort()))
                .realServer(RealServer.of("good", "127.0.0.1:" + good.getPort()))
                .build();
        engine = DispatchEngine.builder(LoadBalancer.builder().virtualService(VirtualService.builder("mail")
                .scheduling(SchedulingMethod.ROUND_ROBIN).subService(owa).build()).build()).ticker(now::get).build();
        detector = OutlierDetector.builder(engine).ticker(now::get).interval(Duration.ofHours(1)).build();
        engine.setOutcomeListener(detector);
    }

    @AfterEach
    void stop() {
        detector.close();
        engine.close();
    }

    private static Dispatcher answering(AtomicInteger status) {
        return new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse.Builder().code(status.get()).body("status " + status.get()).build();
            }
        };
    }

    /** The proxy loop: dispatch, forward over HTTP, release with the real status. Returns the statuses seen. */
    private List<Integer> proxy(int requests) throws IOException, InterruptedException {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            Decision d = engine.dispatch("mail", HttpRequest.builder().scheme("http").authority("mail.example.com")
                    .target("/owa/").build());
            Decision.Forward f = (Decision.Forward) d;
            Address a = f.target().address();
            long start = System.nanoTime();
            HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://" + a.host() + ":" + a.port() + f.path())).timeout(Duration.ofSeconds(5))
                    .build(), HttpResponse.BodyHandlers.ofString());
            f.release(Outcome.ofStatus(r.statusCode(), System.nanoTime() - start));
            statuses.add(r.statusCode());
        }
        detector.checkNow().join();
        return statuses;
    }

    private OutlierState stateOfBad() {
        return engine.stats().findRealServer("mail", "owa", "bad").orElseThrow().outlierState();
    }

    @Test
    void serverAnswering503_isEjected_clientsGetOnly200s_andItReturnsAfterHalfOpen() throws Exception {
        List<Integer> first = proxy(10);
        assertThat(first).contains(503);
        assertThat(stateOfBad()).isEqualTo(OutlierState.EJECTED);
        int badSeen = bad.getRequestCount();
        assertThat(badSeen).as("3 consecutive 503s eject it").isGreaterThanOrEqualTo(3);

        assertThat(proxy(10)).containsOnly(200);
        assertThat(bad.getRequestCount()).as("nothing reaches the ejected server").isEqualTo(badSeen);

        badStatus.set(200); // the workload recovers
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        detector.checkNow().join();
        assertThat(stateOfBad()).isEqualTo(OutlierState.HALF_OPEN);
        assertThat(proxy(6)).containsOnly(200);
        assertThat(stateOfBad()).isEqualTo(OutlierState.NORMAL);
        assertThat(bad.getRequestCount()).as("half-open calls went over the wire").isGreaterThan(badSeen);
    }
}
