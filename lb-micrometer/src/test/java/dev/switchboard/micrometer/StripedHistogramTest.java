package dev.switchboard.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bucket lookup by magnitude against a plain search, edges ({@code le} is inclusive), stripes and errors. */
class StripedHistogramTest {

    /** The bucket a plain linear search gives: the first bound at or above the value, else +Inf. */
    private static int expectedBucket(long[] bounds, long v) {
        for (int i = 0; i < bounds.length; i++) {
            if (v <= bounds[i]) {
                return i;
            }
        }
        return bounds.length;
    }

    @Test
    void record_randomBoundsAndValues_sameBucketsAsASearch() {
        SplittableRandom random = new SplittableRandom(0x5EED_0016L);
        for (int round = 0; round < 200; round++) {
            long[] bounds = random.longs(1 + random.nextInt(30), 1, 1L << (10 + random.nextInt(40)))
                    .sorted().distinct().toArray();
            StripedHistogram h = new StripedHistogram(bounds, 8);
            long[] expected = new long[bounds.length + 1];
            long sum = 0;
            for (int i = 0; i < 500; i++) {
                long v = switch (i % 4) {
                    case 0 -> bounds[random.nextInt(bounds.length)]; // exactly on a bound
                    case 1 -> bounds[random.nextInt(bounds.length)] + 1; // just above one
                    case 2 -> random.nextLong(0, 2 * bounds[bounds.length - 1]);
                    default -> random.nextLong(0, 1000);
                };
                h.record(v);
                expected[expectedBucket(bounds, v)]++;
                sum += v;
            }
            for (int i = 1; i < expected.length; i++) {
                expected[i] += expected[i - 1];
            }
            LatencySnapshot s = h.snapshot();
            assertThat(s.cumulativeCounts()).as(Arrays.toString(bounds)).containsExactly(expected);
            assertThat(s.sumNanos()).isEqualTo(sum);
        }
    }

    @Test
    void record_extremes_zeroNegativeAndHuge() {
        StripedHistogram h = new StripedHistogram(new long[] {1, 1000}, 1);
        h.record(0);
        h.record(-5); // counts as 0
        h.record(1);
        h.record(2);
        h.record(Long.MAX_VALUE / 2);
        assertThat(h.snapshot().cumulativeCounts()).containsExactly(3, 4, 5);
        assertThat(h.snapshot().sumNanos()).isEqualTo(3 + Long.MAX_VALUE / 2);
    }

    @Test
    void stripes_fourPerProcessor_8To128_powerOfTwo() {
        assertThat(StripedHistogram.stripes(1)).isEqualTo(8);
        assertThat(StripedHistogram.stripes(2)).isEqualTo(8);
        assertThat(StripedHistogram.stripes(3)).isEqualTo(16);
        assertThat(StripedHistogram.stripes(64)).isEqualTo(128);
        assertThat(StripedHistogram.DEFAULT_STRIPES).isBetween(8, 128);
        assertThat(Integer.bitCount(StripedHistogram.DEFAULT_STRIPES)).isEqualTo(1);
    }

    @Test
    void constructor_badStripesOrTooManyBounds_nameTheArgument() {
        assertThatThrownBy(() -> new StripedHistogram(new long[] {1}, 3))
                .hasMessage("stripes: 3 (expected: a power of two, 1..1024)");
        assertThatThrownBy(() -> new StripedHistogram(new long[127], 1))
                .hasMessage("bounds: 127 (expected: at most 126)");
    }
}
