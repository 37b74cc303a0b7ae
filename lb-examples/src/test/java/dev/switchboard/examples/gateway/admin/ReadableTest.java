package dev.switchboard.examples.gateway.admin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ReadableTest {

    @ParameterizedTest
    @CsvSource({
        "-5, 0s", "0, 0s", "1, 1s", "59, 59s", "60, 1m00s", "192, 3m12s", "3599, 59m59s", "3600, 1h00m",
        "7500, 2h05m", "86399, 23h59m", "86400, 1d00h", "273600, 3d04h", "8640000, 100d00h"})
    void duration_twoLargestUnits(long seconds, String text) {
        assertThat(Readable.duration(Duration.ofSeconds(seconds))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({
        "-1, 0 B", "0, 0 B", "512, 512 B", "1023, 1023 B", "1024, 1.0 KiB", "1536, 1.5 KiB",
        "1048524, 1023.9 KiB", "1048575, 1.0 MiB", "12582912, 12.0 MiB", "1073741824, 1.0 GiB",
        "9223372036854775807, 8.0 EiB"})
    void bytes_binaryUnits(long n, String text) {
        assertThat(Readable.bytes(n)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "-3, 0", "NaN, 0", "0.04, 0.0/s", "0.4, 0.4/s", "12.34, 12.3/s", "99.9, 99.9/s",
        "100, 100/s", "1234.4, '1,234/s'"})
    void rate_perSecond(double rate, String text) {
        assertThat(Readable.rate(rate)).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0, 0 µs", "850000, 850 µs", "4200000, 4.2 ms", "340000000, 340 ms", "1250000000, 1.25 s"})
    void latency_unitByMagnitude(long nanos, String text) {
        assertThat(Readable.latency(Duration.ofNanos(nanos))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "999, 999", "1234567, '1,234,567'"})
    void count_thousandsSeparators(long n, String text) {
        assertThat(Readable.count(n)).isEqualTo(text);
    }
}
