package dev.switchboard.engine.internal.schedule;

/**
 * How far the least-connection schedulers scan a pool per pick: the whole pool up to {@value #EXACT_POOL} servers,
 * otherwise until {@value #CANDIDATES} eligible servers have been compared. Stateless and thread-safe.
 */
final class BoundedScan {

    /** The largest pool that is always scanned whole, so that its pick is exact. */
    static final int EXACT_POOL = 64;
    /** Eligible servers compared per pick in a larger pool: about the cost of a whole scan of 16 servers. */
    static final int CANDIDATES = 16;
    /** The largest pool whose {@code position * stride} (both below it) fits an {@code int}. */
    private static final int INT_PRODUCT = 46_340;

    private BoundedScan() {
    }

    /**
     * @param candidates eligible servers to compare in a large pool, at least 1
     * @return {@code candidates}
     * @throws IllegalArgumentException when {@code candidates} is below 1
     */
    static int candidates(int candidates) {
        if (candidates < 1) {
            throw new IllegalArgumentException("candidates: " + candidates + " (expected: 1 or more)");
        }
        return candidates;
    }

    /**
     * The step between the starting positions of successive picks in a pool of {@code n}: 1 up to
     * {@value #EXACT_POOL} servers, otherwise the number nearest {@code n} times the golden ratio's fraction
     * (0.618...) that is coprime with {@code n}, so that successive picks start far apart, every position still
     * starts one pick in {@code n}, and the picks that see one server are spread over time rather than made one
     * after the other.
     */
    static int stride(int n) {
        if (n <= EXACT_POOL) {
            return 1;
        }
        int golden = (int) (n * 0.6180339887498949);
        for (int d = 0; d < n; d++) {
            if (gcd(golden + d, n) == 1) {
                return golden + d;
            }
            if (golden - d > 0 && gcd(golden - d, n) == 1) {
                return golden - d;
            }
        }
        return 1;
    }

    /**
     * The starting position of a pick: position {@code k} ({@code 0..n-1}) of the walk over {@code n} servers by
     * {@code stride}; a mask for a power of two (the product may wrap: 2^32 is a multiple of {@code n}), an
     * {@code int} remainder while the product fits, a {@code long} one beyond.
     */
    static int start(int k, int n, int stride) {
        if (stride == 1) {
            return k;
        }
        if ((n & (n - 1)) == 0) {
            return (k * stride) & (n - 1);
        }
        return n <= INT_PRODUCT ? k * stride % n : (int) ((long) k * stride % n);
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The eligible servers a pick among {@code n} compares before it stops: all of them, or {@code candidates}. */
    static int limit(int n, int candidates) {
        return n <= EXACT_POOL ? n : candidates;
    }
}
