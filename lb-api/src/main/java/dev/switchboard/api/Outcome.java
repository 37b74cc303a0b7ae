package dev.switchboard.api;

import java.util.Objects;

/**
 * How an exchange with a real server ended, reported to {@link Lease#release(Outcome)}.
 *
 * @param status the response status, 0 when there was none
 * @param failure what went wrong on the connection, {@link Failure#NONE} if nothing
 * @param durationNanos how long the exchange took
 * @param bytesIn bytes received from the client (0 if not counted)
 * @param bytesOut bytes sent to the client (0 if not counted)
 * @param firstByteNanos how long until the first byte of the response came from the real server (time to first
 *     byte, measured from the same start as {@code durationNanos}); 0 when there was no response or it was not
 *     measured
 */
public record Outcome(int status, Failure failure, long durationNanos, long bytesIn, long bytesOut,
        long firstByteNanos) {

    /** A connection-level failure. */
    public enum Failure { NONE, CONNECT, TIMEOUT, RESET, PROTOCOL, CANCELLED }

    public Outcome {
        Objects.requireNonNull(failure, "failure");
    }

    /** An outcome whose time to first byte was not measured ({@code firstByteNanos} 0). */
    public Outcome(int status, Failure failure, long durationNanos, long bytesIn, long bytesOut) {
        this(status, failure, durationNanos, bytesIn, bytesOut, 0);
    }

    /** A response with {@code status} after {@code durationNanos}. */
    public static Outcome ofStatus(int status, long durationNanos) {
        return new Outcome(status, Failure.NONE, durationNanos, 0, 0);
    }

    /** A failure without a response. */
    public static Outcome ofFailure(Failure failure, long durationNanos) {
        return new Outcome(0, failure, durationNanos, 0, 0);
    }

    /** Whether this counts as a failure of the real server: a connection failure or a 5xx. */
    public boolean isFailure() {
        return failure != Failure.NONE && failure != Failure.CANCELLED || status >= 500;
    }
}
