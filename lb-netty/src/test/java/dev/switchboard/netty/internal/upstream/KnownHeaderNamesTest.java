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
    void otherCase_otherLength_orUnknown_isNotFound() {
        assertThat(find("content-length: 1", 0, 14)).isNull(); // forwarded as the peer wrote it
        assertThat(find("Content-Lengt", 0, 13)).isNull();
        assertThat(find("X-Custom-Thing: 1", 0, 14)).isNull();
        assertThat(find("A-Name-Longer-Than-Any-Known-Header-Name", 0, 40)).isNull();
        assertThat(find("", 0, 0)).isNull();
    }
}
