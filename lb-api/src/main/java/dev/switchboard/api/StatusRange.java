package dev.switchboard.api;

/**
 * An inclusive range of HTTP status codes that an HTTP check accepts, such as {@code 200..299}. A single code is
 * the range {@code 204..204}. Immutable and thread-safe; ranges are checked by {@link HealthCheck.Builder#build()}.
 *
 * @param from the lowest accepted code
 * @param to the highest accepted code
 */
public record StatusRange(int from, int to) {

    /** One code. */
    public static StatusRange of(int code) {
        return new StatusRange(code, code);
    }

    /** An inclusive range. */
    public static StatusRange of(int from, int to) {
        return new StatusRange(from, to);
    }

    /** Whether {@code status} lies in this range. */
    public boolean contains(int status) {
        return status >= from && status <= to;
    }

    @Override
    public String toString() {
        return from == to ? Integer.toString(from) : from + ".." + to;
    }
}
