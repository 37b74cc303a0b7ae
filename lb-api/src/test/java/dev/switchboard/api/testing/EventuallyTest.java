package dev.switchboard.api.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class EventuallyTest {

    @Test
    void until_conditionAlreadyTrue_returnsAfterOneCheck() {
        AtomicInteger checks = new AtomicInteger();
        Eventually.until("true", () -> checks.incrementAndGet() > 0);
        assertThat(checks).hasValue(1);
    }

    @Test
    void until_conditionMadeTrueByAnotherThread_returnsOnceItHolds() throws Exception {
        AtomicBoolean flag = new AtomicBoolean();
        CountDownLatch polled = new CountDownLatch(3);
        Thread setter = new Thread(() -> {
            try {
                if (polled.await(5, TimeUnit.SECONDS)) { // set only after the waiter has seen it false three times
                    flag.set(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        setter.start();
        Eventually.until("the flag", () -> {
            polled.countDown();
            return flag.get();
        });
        assertThat(polled.getCount()).isZero();
        setter.join(5_000);
    }

    @Test
    void until_conditionNeverTrue_failsNamingWhatAndTheLimit() {
        AtomicInteger checks = new AtomicInteger();
        assertThatThrownBy(() -> Eventually.until("s1 DOWN", Duration.ofMillis(20), () -> {
            checks.incrementAndGet();
            return false;
        })).isInstanceOf(AssertionError.class).hasMessage("timed out after PT0.02S waiting for s1 DOWN");
        assertThat(checks.get()).as("checked more than once").isGreaterThan(1);
    }

    @Test
    void until_interrupted_failsInsteadOfSpinning() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> Eventually.until("never", () -> false))
                    .isInstanceOf(AssertionError.class).hasMessage("interrupted while waiting for never");
            assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is kept").isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void until_zeroOrNegativeLimit_isRejectedNamingTheLimit() {
        assertThatThrownBy(() -> Eventually.until("x", Duration.ZERO, () -> true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit: PT0S (expected: > 0)");
        assertThatThrownBy(() -> Eventually.until("x", Duration.ofSeconds(-1), () -> true))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("limit: PT-1S (expected: > 0)");
    }
}
