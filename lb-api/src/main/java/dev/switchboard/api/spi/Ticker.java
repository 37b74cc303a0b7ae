package dev.switchboard.api.spi;

/** A source of nanosecond time, injected so that tests can move time by hand. Must be thread-safe. */
@FunctionalInterface
public interface Ticker {

    /** Nanoseconds from an arbitrary origin, monotonic. */
    long read();

    /** {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
