package dev.switchboard.micrometer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The latency histogram of one real server (or of a sub-service's servers merged) at one moment: cumulative bucket
 * counts at the configured bounds ({@link SwitchboardMetrics.Builder#serviceLevelObjectives}), the count and the
 * sum of every observation since the server was first seen. The same figures a Prometheus scrape shows as
 * {@code _bucket{le=...}}, {@code _count} and {@code _sum}, read without a registry: for a stats page. Two snapshots
 * give the last interval's distribution ({@link #minus}), and {@link #percentile} estimates a quantile from the
 * buckets the way Prometheus' {@code histogram_quantile} does.
 *
 * <pre>{@code
 * LatencySnapshot now = metrics.latency("web", "app", "a");
 * LatencySnapshot lastMinute = now.minus(aMinuteAgo);
 * double p99 = lastMinute.percentile(0.99); // seconds; NaN when nothing was recorded
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class LatencySnapshot {

    private final long[] boundsNanos;
    private final long[] cumulative;
    private final long sumNanos;

    LatencySnapshot(long[] boundsNanos, long[] cumulative, long sumNanos) {
        if (cumulative.length != boundsNanos.length + 1) {
            throw new IllegalArgumentException("cumulative: " + cumulative.length + " counts (expected: "
                    + (boundsNanos.length + 1) + ", one per bound and +Inf)");
        }
        this.boundsNanos = boundsNanos;
        this.cumulative = cumulative;
        this.sumNanos = sumNanos;
    }

    /**
     * A snapshot with nothing recorded.
     *
     * @param bounds the bucket bounds, ascending and positive
     * @throws IllegalArgumentException naming a bound that is not positive or not above the one before
     */
    public static LatencySnapshot empty(List<Duration> bounds) {
        return new LatencySnapshot(boundsNanos(bounds), new long[bounds.size() + 1], 0);
    }

    static long[] boundsNanos(List<Duration> bounds) {
        long[] nanos = new long[bounds.size()];
        for (int i = 0; i < nanos.length; i++) {
            Duration d = Objects.requireNonNull(bounds.get(i), "bounds[" + i + "]");
            nanos[i] = d.toNanos();
            if (nanos[i] <= 0 || (i > 0 && nanos[i] <= nanos[i - 1])) {
                throw new IllegalArgumentException("bounds[" + i + "]: " + d
                        + " (expected: positive, above the bound before it)");
            }
        }
        return nanos;
    }

    /** The finite bucket bounds, ascending (the {@code le} values; the {@code +Inf} bucket is implied). */
    public List<Duration> bounds() {
        List<Duration> out = new ArrayList<>(boundsNanos.length);
        for (long b : boundsNanos) {
            out.add(Duration.ofNanos(b));
        }
        return List.copyOf(out);
    }

    /**
     * The cumulative counts: element {@code i} counts the observations at or below {@code bounds().get(i)}, the
     * last element (index {@code bounds().size()}) is {@code +Inf}, that is {@link #count()}. A copy.
     */
    public long[] cumulativeCounts() {
        return cumulative.clone();
    }

    /** The number of observations. */
    public long count() {
        return cumulative[cumulative.length - 1];
    }

    /** The sum of the observations, in nanoseconds. */
    public long sumNanos() {
        return sumNanos;
    }

    /** The sum of the observations, in seconds (Prometheus' {@code _sum}). */
    public double sumSeconds() {
        return sumNanos / 1e9;
    }

    /** The mean observation in seconds; {@code NaN} when there is none. */
    public double meanSeconds() {
        long n = count();
        return n == 0 ? Double.NaN : sumSeconds() / n;
    }

    /**
     * Estimates the {@code q} quantile in seconds from the buckets, as Prometheus' {@code histogram_quantile}: the
     * bucket holding the rank {@code q * count}, interpolated linearly between its lower bound (0 for the first) and
     * its upper bound. A rank in the {@code +Inf} bucket answers the highest finite bound (a lower limit of the true
     * value). {@code NaN} when nothing was recorded or there are no finite bounds.
     *
     * @param q the quantile, 0..1 (0.99 for p99)
     * @throws IllegalArgumentException when {@code q} is outside 0..1 or NaN
     */
    public double percentile(double q) {
        if (!(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("q: " + q + " (expected: 0..1)");
        }
        long n = count();
        if (n == 0 || boundsNanos.length == 0) {
            return Double.NaN;
        }
        double rank = q * n;
        for (int i = 0; i < boundsNanos.length; i++) {
            if (cumulative[i] >= rank && cumulative[i] > 0) {
                long below = i == 0 ? 0 : cumulative[i - 1];
                long lower = i == 0 ? 0 : boundsNanos[i - 1];
                long inBucket = cumulative[i] - below;
                double fraction = inBucket == 0 ? 1 : (rank - below) / inBucket;
                return (lower + (boundsNanos[i] - lower) * Math.max(0, fraction)) / 1e9;
            }
        }
        return boundsNanos[boundsNanos.length - 1] / 1e9;
    }

    /**
     * What was recorded after {@code older}: bucket by bucket, the count and the sum less {@code older}'s. When any
     * count of {@code older} is above this one's (the server was replaced and counts afresh, or a server of a merged
     * sub-service went), the counters were reset in between: this snapshot is returned whole, as Prometheus'
     * {@code increase} treats a reset.
     *
     * @throws IllegalArgumentException when the two have different bounds
     */
    public LatencySnapshot minus(LatencySnapshot older) {
        sameBounds(older);
        long[] out = new long[cumulative.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = cumulative[i] - older.cumulative[i];
            if (out[i] < 0) {
                return this;
            }
        }
        return new LatencySnapshot(boundsNanos, out, Math.max(0, sumNanos - older.sumNanos));
    }

    /**
     * The two histograms merged (for a sub-service: the sum of its servers').
     *
     * @throws IllegalArgumentException when the two have different bounds
     */
    public LatencySnapshot plus(LatencySnapshot other) {
        sameBounds(other);
        long[] out = new long[cumulative.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = cumulative[i] + other.cumulative[i];
        }
        return new LatencySnapshot(boundsNanos, out, sumNanos + other.sumNanos);
    }

    private void sameBounds(LatencySnapshot other) {
        if (!Arrays.equals(boundsNanos, other.boundsNanos)) {
            throw new IllegalArgumentException("bounds: " + other.bounds() + " (expected: " + bounds() + ")");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LatencySnapshot s && sumNanos == s.sumNanos && Arrays.equals(boundsNanos, s.boundsNanos)
                && Arrays.equals(cumulative, s.cumulative);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(boundsNanos) + Arrays.hashCode(cumulative)) + Long.hashCode(sumNanos);
    }

    @Override
    public String toString() {
        return "LatencySnapshot[count=" + count() + ", sumSeconds=" + sumSeconds() + ", bounds=" + bounds()
                + ", cumulative=" + Arrays.toString(cumulative) + "]";
    }
}
