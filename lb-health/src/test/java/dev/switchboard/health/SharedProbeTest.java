package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Address;
import dev.switchboard.api.Health;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.HealthCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

class SharedProbeTest {

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Test
    void sameEndpointAndCheck_inTwoSubServices_isProbedOnceAndFannedOut() {
        // Answers alternate 200, 503, 200, ...; with rise = fall = 1 every probe result flips the verdict.
        // One shared probe therefore flips both sub-services on every request; two probes could not.
        AtomicInteger served = new AtomicInteger();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                int n = served.incrementAndGet();
                return new MockResponse.Builder().code(n % 2 == 1 ? 200 : 503).build();
            }
        });
        RecordingSink sink = new RecordingSink();
        RecordingListener listener = new RecordingListener();
        HealthCheck check = HealthCheck.http().path("/health").rise(1).fall(1)
                .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
        HealthCheck sameCheck = HealthCheck.http().path("/health").rise(1).fall(1)
                .interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(500)).build();
        Address ex01 = Address.of("127.0.0.1", server.getPort());

        try (HealthChecker checker = HealthChecker.builder(sink).listener(listener).seed(3).build()) {
            checker.add(HealthTarget.of("mail", "owa", "ex01", ex01, check));
            checker.add(HealthTarget.of("mail", "ews", "ex01", ex01, sameCheck));
            Eventually.until("six transitions each", () -> listener.of("ews").size() >= 6);
        }

        List<HealthTransition> owa = listener.of("owa");
        List<HealthTransition> ews = listener.of("ews");
        assertThat(owa).hasSameSizeAs(ews);
        for (int i = 0; i < owa.size(); i++) {
            assertThat(owa.get(i).to()).isEqualTo(i % 2 == 0 ? Health.UP : Health.DOWN);
            assertThat(ews.get(i).to()).isEqualTo(owa.get(i).to());
            assertThat(ews.get(i).reason()).isEqualTo(owa.get(i).reason());
        }
        // one request per verdict, plus at most one whose answer arrived after close
        assertThat(served.get()).isBetween(owa.size(), owa.size() + 1);
    }
}
