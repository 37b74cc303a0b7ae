package dev.switchboard.netty.internal.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KnownHeaderNamesTest {

    private static Object find(String line, int start, int length) {
        return KnownHeaderNames.find(line.getBytes(StandardCharsets.US_ASCII), start, length);
    }

    @Test
    void aKnownName_insideALine_isTheSharedInstance() {
        Object first = find("Content-Length: 12", 0, 14);
        Object second = find("xxContent-Length: 99", 2, 14);

        assertThat(first).isNotNull().hasToString("Content-Length");
        assertThat(second).isSameAs(first);
    }

    @Test
    void everyKnownNameOfOneLength_isFound_asItself() {
        for (String name : new String[] {"Host", "Date", "ETag", "Vary", "Server", "Cookie", "Origin", "Accept",
            "Expect", "Content-Type", "Last-Modified", "Accept-Ranges", "Cache-Control", "X-Forwarded-For"}) {
            assertThat(find("  " + name + ": v", 2, name.length())).as(name).hasToString(name);
        }
    }

    @Test
    void otherCase_otherLength_orUnknown_isNotFound() {
        assertThat(find("content-length: 1", 0, 14)).isNull(); // forwarded as the peer wrote it
        assertThat(find("Content-Lengt", 0, 13)).isNull();
        assertThat(find("X-Custom-Thing: 1", 0, 14)).isNull();
        assertThat(find("A-Name-Longer-Than-Any-Known-Header-Name", 0, 40)).isNull();
        assertThat(find("", 0, 0)).isNull();
        assertThat(find("Hast: a", 0, 4)).isNull(); // the same length, first and last byte as Host
        assertThat(find("Datf", 0, 4)).isNull();
    }
}
