package dev.switchboard.examples.gateway.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The recent request and error counts of one entry (virtual service, sub-service or real server), kept as
 * cumulative counter readings in two bounded rings: one reading per sample for the last minute (the current rate
 * and its maximum), and one reading per {@link #sparkInterval()} for the last {@link #sparkWindow()} (the sparkline).
 * Rates are computed from the readings' real times, so a late sample skews nothing; a counter that goes backwards
 * (an entry recreated) counts as no requests, never as negative ones. Memory is fixed at creation.
 *
 * <p>Thread-safe: the sampler writes, page renderers read; each method holds the instance's lock briefly.
 */
final class RateHistory {

    /** One point of a sparkline: the interval's end, and its request and error rates per second. */
    record Point(Instant end, double requests, double errors) {
    }

    static final Duration MINUTE = Duration.ofMinutes(1);

    private final Readings recent;
    private final Readings spark;
    private final long sparkIntervalMillis;

    /**
     * @param sampleInterval how often the sampler adds a reading (sizes the minute's ring)
     * @param sparkInterval  one sparkline point per this
     * @param sparkWindow    how far back the sparkline goes
     */
    RateHistory(Duration sampleInterval, Duration sparkInterval, Duration sparkWindow) {
        int perMinute = (int) Math.max(2, MINUTE.toMillis() / Math.max(1, sampleInterval.toMillis()) + 2);
        int sparkPoints = (int) Math.max(2, sparkWindow.toMillis() / Math.max(1, sparkInterval.toMillis()) + 2);
        this.recent = new Readings(perMinute);
        this.spark = new Readings(sparkPoints);
        this.sparkIntervalMillis = sparkInterval.toMillis();
    }

    Duration sparkInterval() {
        return Duration.ofMillis(sparkIntervalMillis);
    }

    Duration sparkWindow() {
        return Duration.ofMillis(sparkIntervalMillis * (spark.capacity() - 2));
    }

    /** Adds the counters read at {@code time}; a reading not later than the last one is ignored. */
    synchronized void add(Instant time, long requests, long errors) {
        long t = time.toEpochMilli();
        if (recent.size() > 0 && t <= recent.time(recent.size() - 1)) {
            return;
        }
        recent.add(t, requests, errors);
        if (spark.size() == 0 || t - spark.time(spark.size() - 1) >= sparkIntervalMillis) {
            spark.add(t, requests, errors);
        }
    }

    /** Requests per second between the last two readings; 0 before two. */
    synchronized double currentRate() {
        int n = recent.size();
        return n < 2 ? 0 : rate(recent, n - 2, n - 1, false);
    }

    /** Errors per second between the last two readings; 0 before two. */
    synchronized double currentErrorRate() {
        int n = recent.size();
        return n < 2 ? 0 : rate(recent, n - 2, n - 1, true);
    }

    /** The highest request rate between two consecutive readings that ended within the minute before {@code now}. */
    synchronized double maxRateLastMinute(Instant now) {
        long from = now.toEpochMilli() - MINUTE.toMillis();
        double max = 0;
        for (int i = 1; i < recent.size(); i++) {
            if (recent.time(i) >= from) {
                max = Math.max(max, rate(recent, i - 1, i, false));
            }
        }
        return max;
    }

    /**
     * The sparkline's points, oldest first: one per interval of the window before {@code now}, then the interval
     * in progress (from the last spark reading to the latest reading), so that traffic shows within a sample.
     */
    synchronized List<Point> sparkline(Instant now) {
        long from = now.toEpochMilli() - sparkWindow().toMillis();
        List<Point> out = new ArrayList<>(spark.size());
        for (int i = 1; i < spark.size(); i++) {
            if (spark.time(i) > from) {
                out.add(point(spark, i - 1, i));
            }
        }
        int n = recent.size();
        if (spark.size() > 0 && n > 0 && recent.time(n - 1) > spark.time(spark.size() - 1)) {
            Readings tail = new Readings(2);
            tail.add(spark.time(spark.size() - 1), spark.requests(spark.size() - 1), spark.errors(spark.size() - 1));
            tail.add(recent.time(n - 1), recent.requests(n - 1), recent.errors(n - 1));
            out.add(point(tail, 0, 1));
        }
        return out;
    }

    private static Point point(Readings r, int a, int b) {
        return new Point(Instant.ofEpochMilli(r.time(b)), rate(r, a, b, false), rate(r, a, b, true));
    }

    private static double rate(Readings r, int a, int b, boolean errors) {
        long millis = r.time(b) - r.time(a);
        long delta = errors ? r.errors(b) - r.errors(a) : r.requests(b) - r.requests(a);
        return millis <= 0 || delta <= 0 ? 0 : delta * 1000.0 / millis;
    }

    /** A ring of (time, requests, errors) readings; index 0 is the oldest kept. Not thread-safe on its own. */
    private static final class Readings {

        private final long[] times;
        private final long[] requests;
        private final long[] errors;
        private int start;
        private int size;

        Readings(int capacity) {
            times = new long[capacity];
            requests = new long[capacity];
            errors = new long[capacity];
        }

        int capacity() {
            return times.length;
        }

        int size() {
            return size;
        }

        void add(long time, long req, long err) {
            int slot = (start + size) % times.length;
            if (size == times.length) {
                start = (start + 1) % times.length;
            } else {
                size++;
            }
            times[slot] = time;
            requests[slot] = req;
            errors[slot] = err;
        }

        long time(int i) {
            return times[(start + i) % times.length];
        }

        long requests(int i) {
            return requests[(start + i) % times.length];
        }

        long errors(int i) {
            return errors[(start + i) % times.length];
        }
    }
}
