package dev.switchboard.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.api.Address;
import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.Violation;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.api.spi.CheckResult;
import dev.switchboard.api.spi.CustomCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CustomCheckTest {

    @StartStop
    private final MockWebServer web = new MockWebServer();

    private final RecordingSink sink = new RecordingSink();
    private final HealthChecker checker = HealthChecker.builder(sink).seed(3).build();
    private final Address address = Address.of("127.0.0.1", 5432);

    @AfterEach
    void close() {
        checker.close();
    }

    private static HealthCheck.Builder fast(String name, CustomCheck check) {
        return HealthCheck.custom(name, check).interval(Duration.ofMillis(20)).timeout(Duration.ofMillis(200))
                .rise(1).fall(1);
    }

    @Test
    void custom_verdictsFollowTheResult_withTheAddressProbed() {
        AtomicReference<CheckResult> next = new AtomicReference<>(CheckResult.up("pong"));
        List<Address> probed = new CopyOnWriteArrayList<>();
        CustomCheck ping = a -> {
            probed.add(a);
            return CompletableFuture.completedFuture(next.get());
        };
        checker.add(HealthTarget.of("db", "primary", "pg01", address, fast("pg-ping", ping).build()));
        Eventually.until("up", () -> sink.lastIs("primary", "pg01", Health.UP, "pong"));
        assertThat(probed).first().isEqualTo(address);
        next.set(CheckResult.down("replica lag 45 s"));
        Eventually.until("down", () -> sink.lastIs("primary", "pg01", Health.DOWN, "replica lag 45 s"));
    }

    @Test
    void throwingCheck_isDownWithTheReason_andTheCheckerKeepsRunning() {
        AtomicReference<RuntimeException> failure = new AtomicReference<>(new IllegalStateException("boom"));
        CustomCheck flaky = a -> {
            RuntimeException e = failure.get();
            if (e != null) {
                throw e;
            }
            return CompletableFuture.completedFuture(CheckResult.up("fine again"));
        };
        checker.add(HealthTarget.of("db", "primary", "pg01", address, fast("flaky", flaky)
                .initialState(Health.UP).build()));
        Eventually.until("down", () -> sink.lastIs("primary", "pg01", Health.DOWN,
                "custom check 'flaky' threw java.lang.IllegalStateException: boom"));
        failure.set(null);
        Eventually.until("up again", () -> sink.lastIs("primary", "pg01", Health.UP, "fine again"));
    }

    @Test
    void nullAndExceptionalResults_areFailuresWithReasons() {
        checker.add(HealthTarget.of("db", "a", "s1", address, fast("nulls", a -> null).initialState(Health.UP)
                .build()));
        checker.add(HealthTarget.of("db", "b", "s1", address, fast("null-result",
                a -> CompletableFuture.completedFuture(null)).initialState(Health.UP).build()));
        checker.add(HealthTarget.of("db", "c", "s1", address, fast("exceptional",
                a -> CompletableFuture.failedFuture(new java.io.IOException("refused"))).initialState(Health.UP)
                .build()));
        Eventually.until("a down", () -> sink.lastIs("a", "s1", Health.DOWN, "custom check 'nulls' returned null"));
        Eventually.until("b down", () -> sink.lastIs("b", "s1", Health.DOWN,
                "custom check 'null-result' completed with null"));
        Eventually.until("c down", () -> sink.lastIs("c", "s1", Health.DOWN,
                "custom check 'exceptional' failed: java.io.IOException: refused"));
    }

    @Test
    void hangingAndBlockingChecks_timeOut_whileOtherProbesStillRun() {
        CountDownLatch never = new CountDownLatch(1);
        try {
            checker.add(HealthTarget.of("db", "hang", "s1", address, fast("hang", a -> new CompletableFuture<>())
                    .initialState(Health.UP).build()));
            checker.add(HealthTarget.of("db", "block", "s1", address, fast("block", a -> {
                try {
                    never.await(); // blocks its calling thread: must not be the scheduler
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return CompletableFuture.completedFuture(CheckResult.up("unblocked"));
            }).initialState(Health.UP).build()));
            web.enqueue(new MockResponse.Builder().code(200).build());
            checker.add(HealthTarget.of("web", "www", "w1", Address.of("127.0.0.1", web.getPort()),
                    HealthCheck.http().interval(Duration.ofMillis(20)).rise(1).build()));
            Eventually.until("hang times out", () -> sink.lastIs("hang", "s1", Health.DOWN, "timeout (custom check 'hang')"));
            Eventually.until("block times out", () -> sink.lastIs("block", "s1", Health.DOWN,
                    "timeout (custom check 'block')"));
            Eventually.until("http still probed", () -> sink.lastIs("www", "w1", Health.UP, "status 200"));
        } finally {
            never.countDown();
        }
    }

    @Test
    void build_badCustomCheck_namesTheFields() {
        ConfigurationException e = catchThrowableOfType(() -> HealthCheck.custom("", a -> null).path("/x").build(),
                ConfigurationException.class);
        assertThat(e.violations()).extracting(Violation::toString).containsExactly(
                "customName: '' (expected: 1..64 printable characters)",
                "path: set on a CUSTOM check (expected: only on http checks)");
    }

    @Test
    void equalCustomChecks_shareOneProbe() {
        CustomCheck c = a -> CompletableFuture.completedFuture(CheckResult.up("ok"));
        assertThat(HealthCheck.custom("x", c).build()).isEqualTo(HealthCheck.custom("x", c).build())
                .isNotEqualTo(HealthCheck.custom("x", a -> null).build());
        assertThat(HealthCheck.custom("x", c).build().toString()).isEqualTo("custom check x");
    }
}
