package dev.switchboard.netty.internal.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderLinesTest {

    @Test
    void lines_keepOrderCaseAndObsTextBytes() {
        HttpHeaders h = new DefaultHttpHeaders();
        h.add(AsciiString.of("Server"), "nginx");
        h.add("x-latin", "caf\u00e9");
        h.add("Set-Cookie", "a=1");
        h.add("Set-Cookie", "b=2");
        ByteBuf out = Unpooled.buffer();

        HeaderLines.start().lines(h).writeTo(out);

        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        assertThat(bytes).isEqualTo("Server: nginx\r\nx-latin: caf\u00e9\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n"
                .getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void aHeadLargerThanTheArray_growsIt_andTheNextHeadStartsEmpty() {
        String big = "v".repeat(100_000);
        ByteBuf out = Unpooled.buffer();

        HeaderLines.start().line("X-Big", big).writeTo(out);
        ByteBuf next = Unpooled.buffer();
        HeaderLines.start().line("X-Small", "s").uri("/caf\u00e9?q").writeTo(next);

        assertThat(out.toString(StandardCharsets.ISO_8859_1)).isEqualTo("X-Big: " + big + "\r\n");
        assertThat(next.toString(StandardCharsets.UTF_8)).isEqualTo("X-Small: s\r\n/caf\u00e9?q");
    }

    @Test
    void checkValue_refusesWhatWouldBreakTheLine_andNamesIt() {
        assertThatIllegalArgumentException().isThrownBy(() -> HeaderLines.checkValue("X-A", "a\r\nX-Evil: 1"))
                .withMessage("header X-A: character U+000D at 1 cannot be sent");
        assertThatIllegalArgumentException().isThrownBy(() -> HeaderLines.checkValue("X-B", "a\u010Ab"))
                .withMessageContaining("U+010A");
        assertThatIllegalArgumentException().isThrownBy(() -> HeaderLines.checkValue("X-C", "\u007f"));
        assertThatIllegalArgumentException().isThrownBy(() -> HeaderLines.checkValue("X-D", "\u0000"));
        assertThatNoException().isThrownBy(() -> HeaderLines.checkValue("X-E", "tab\there caf\u00e9 \u00ff"));
    }
}
