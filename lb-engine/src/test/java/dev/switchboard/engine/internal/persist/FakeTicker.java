package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.spi.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A ticker moved by hand; thread-safe. Starts at an arbitrary non-zero time to catch origin mistakes. */
final class FakeTicker implements Ticker {

    private final AtomicLong nanos = new AtomicLong(1_234_567_890_123L);

    @Override
    public long read() {
        return nanos.get();
    }

    void advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
    }
}
