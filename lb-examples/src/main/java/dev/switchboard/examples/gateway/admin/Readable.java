package dev.switchboard.examples.gateway.admin;

import java.time.Duration;
import java.util.Locale;

/**
 * Times, sizes and rates as an operator reads them at a glance: {@code 3m12s}, {@code 1.5 MiB}, {@code 12.3/s},
 * {@code 4.2 ms}. Stateless; every method takes any value (negative durations and sizes read as zero).
 */
final class Readable {

    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Readable() {
    }

    /**
     * The two largest units of {@code d}: {@code 0s}, {@code 45s}, {@code 3m12s}, {@code 2h05m}, {@code 3d04h};
     * under a second only {@code 0s} (the page shows ages, not latencies).
     */
    static String duration(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 60) {
            return s + "s";
        }
        if (s < 3_600) {
            return s / 60 + "m" + two(s % 60) + "s";
        }
        if (s < 86_400) {
            return s / 3_600 + "h" + two(s / 60 % 60) + "m";
        }
        return s / 86_400 + "d" + two(s / 3_600 % 24) + "h";
    }

    /** Bytes in binary units with one decimal above a KiB: {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}. */
    static String bytes(long n) {
        long v = Math.max(0, n);
        if (v < 1024) {
            return v + " B";
        }
        int unit = 0;
        double x = v;
        while (x >= 1024 && unit < UNITS.length - 1) {
            x /= 1024;
            unit++;
        }
        if (x >= 1023.95 && unit < UNITS.length - 1) { // 1023.96 KiB would print as "1024.0 KiB"
            x /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", x, UNITS[unit]);
    }

    /** Requests per second: {@code 0}, {@code 0.4/s}, {@code 12.3/s}, {@code 1,234/s} (no decimals from 100 on). */
    static String rate(double perSecond) {
        if (!(perSecond > 0)) {
            return "0";
        }
        if (perSecond < 100) {
            return String.format(Locale.ROOT, "%.1f/s", perSecond);
        }
        return String.format(Locale.ROOT, "%,d/s", Math.round(perSecond));
    }

    /** A latency: {@code 850 µs}, {@code 4.2 ms}, {@code 340 ms}, {@code 1.25 s}. */
    static String latency(Duration d) {
        long nanos = Math.max(0, d.toNanos());
        if (nanos < 1_000_000) {
            return nanos / 1_000 + " µs";
        }
        if (nanos < 10_000_000) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        if (nanos < 1_000_000_000) {
            return Math.round(nanos / 1e6) + " ms";
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** A count with thousands separators: {@code 1,234,567}. */
    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String two(long v) {
        return v < 10 ? "0" + v : Long.toString(v);
    }
}
