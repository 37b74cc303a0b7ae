package dev.switchboard.netty.internal.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JSON access-log line: escaping of what a client controls, nulls, milliseconds to the microsecond. */
class JsonLineTest {

    @Test
    void clientBytes_areEscaped_soTheLineStaysOneObjectOnOneLine() {
        String line = new JsonLine().string("uri", "/a\"b\\c\nd\r\te\u0001f\u2028g\u007f").toString();
        assertThat(line).isEqualTo("{\"uri\":\"/a\\\"b\\\\c\\nd\\r\\te\\u0001f\\u2028g\\u007f\"}");
        assertThat(line).doesNotContain("\n", "\r");
    }

    @Test
    void nullsNumbersAndMillis_areWrittenAsJsonValues() {
        String line = new JsonLine().string("realServer", null).number("status", 503).millis("totalMs", 12_345_678)
                .millis("ttfbMs", 5_000).millis("none", -1).millis("whole", 7_000_000).toString();
        assertThat(line).isEqualTo("{\"realServer\":null,\"status\":503,\"totalMs\":12.345,\"ttfbMs\":0.005,"
                + "\"none\":null,\"whole\":7.000}");
    }

    @Test
    void startingNow_beginsWithAnIsoTime() {
        assertThat(JsonLine.startingNow().toString()).matches("\\{\"time\":\"\\d{4}-\\d\\d-\\d\\dT[^\"]+Z\"}");
    }
}
