package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.spi.Ticker;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Epoch seconds for cookie expiry, cheap on the request path. With the system clock a volatile field refreshed
 * four times a second by the engine's timer is read (one load instead of a clock call per request); with an
 * injected {@link Ticker} (tests) seconds are derived from it, so moving the ticker moves this clock at once.
 * Thread-safe.
 */
public final class WallClock {

    private final Ticker ticker;
    private final long baseNanos;
    private final long baseSeconds;
    private final boolean coarse;
    private volatile long coarseSeconds;

    private WallClock(Ticker ticker, boolean coarse) {
        this.ticker = ticker;
        this.baseNanos = ticker.read();
        this.baseSeconds = System.currentTimeMillis() / 1000;
        this.coarse = coarse;
        this.coarseSeconds = baseSeconds;
    }

    /** The system clock, refreshed by {@code timer}. */
    public static WallClock system(ScheduledExecutorService timer) {
        WallClock c = new WallClock(Ticker.system(), true);
        timer.scheduleAtFixedRate(() -> c.coarseSeconds = System.currentTimeMillis() / 1000, 250, 250,
                TimeUnit.MILLISECONDS);
        return c;
    }

    /** Seconds that follow {@code ticker} from the current epoch second. */
    public static WallClock following(Ticker ticker) {
        return new WallClock(ticker, false);
    }

    /** The current epoch second. */
    public long seconds() {
        return coarse ? coarseSeconds : baseSeconds + (ticker.read() - baseNanos) / 1_000_000_000L;
    }
}
