package dev.switchboard.netty.internal.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LineHeadersTest {

    private static final HttpHeadersFactory NETTY = DefaultHttpHeadersFactory.headersFactory().withValidation(true);

    /** Runs {@code edits} on a LineHeaders table and on Netty's, and returns both. */
    private static HttpHeaders[] both(Consumer<HttpHeaders> edits) {
        HttpHeaders ours = LineHeaders.FACTORY.newHeaders();
        HttpHeaders netty = NETTY.newHeaders();
        edits.accept(ours);
        edits.accept(netty);
        return new HttpHeaders[] {ours, netty};
    }

    @Test
    void readsAndEdits_answerAsNettysTable() {
        HttpHeaders[] h = both(t -> t.add(AsciiString.cached("Host"), "a").add("Accept", "*/*")
                .add("set-cookie", "a=1").add("Set-Cookie", "b=2").add("Connection", "keep-alive, Upgrade")
                .add("Content-Length", "12").add("X-Gone", "x").add("x-gone", "y"));
        for (HttpHeaders t : h) {
            t.remove("X-GONE");
            t.set("accept", "text/html");
        }
        HttpHeaders ours = h[0];
        HttpHeaders netty = h[1];

        for (String name : List.of("host", "ACCEPT", "Set-Cookie", "connection", "x-gone", "missing")) {
            assertThat(ours.get(name)).as(name).isEqualTo(netty.get(name));
            assertThat(ours.getAll(AsciiString.of(name))).as(name).isEqualTo(netty.getAll(AsciiString.of(name)));
            assertThat(ours.contains(name)).as(name).isEqualTo(netty.contains(name));
        }
        for (String token : List.of("upgrade", "Keep-Alive", "keep", "close")) {
            assertThat(ours.containsValue("Connection", token, true)).as(token)
                    .isEqualTo(netty.containsValue("Connection", token, true));
        }
        assertThat(ours.containsValue("Connection", "upgrade", false)).isFalse();
        assertThat(ours.getInt("content-length")).isEqualTo(netty.getInt("content-length")).isEqualTo(12);
        assertThat(ours.size()).isEqualTo(netty.size()).isEqualTo(6);
        assertThat(ours.names()).isEqualTo(netty.names());
        assertThat(ours.entries()).isEqualTo(netty.entries());
        assertThat(ours.copy().entries()).isEqualTo(netty.entries());
        assertThat(ours.toString()).isEqualTo(netty.toString().replace("DefaultHttpHeaders", "LineHeaders"));
    }

    @Test
    void invalidNamesAndValues_areRefused_naming_theHeader() {
        HttpHeaders t = LineHeaders.FACTORY.newHeaders();
        assertThatIllegalArgumentException().isThrownBy(() -> t.add("Bad Name", "x")).withMessageContaining("Bad Name");
        assertThatIllegalArgumentException().isThrownBy(() -> t.add("X-A", "a\r\nX-Evil: 1"))
                .withMessageContaining("X-A");
        assertThatIllegalArgumentException().isThrownBy(() -> t.set("X-B", "a\u0001b")).withMessageContaining("X-B");
        assertThatIllegalArgumentException().isThrownBy(() -> t.add("", "x"));
        for (HttpHeaders table : List.of(t, NETTY.newHeaders())) { // as Netty's: no whitespace around a value
            assertThatIllegalArgumentException().isThrownBy(() -> table.add("X-C", " 12"));
        }
        assertThat(t.isEmpty()).isTrue();
    }

    @Test
    void asTheDecodersTable_aHeadDecodesAsWithNettys_andItsLinesCopyOutInOrder() {
        String wire = "POST /p HTTP/1.1\r\nHost: a\r\nX-One: 1\r\nTransfer-Encoding: chunked\r\nCookie: c=1\r\n"
                + "Connection: close\r\n\r\n";
        HttpRequest ours = decode(LineHeaders.FACTORY, wire);
        HttpRequest netty = decode(NETTY, wire);

        assertThat(ours.headers()).isInstanceOf(LineHeaders.class);
        assertThat(ours.headers().entries()).isEqualTo(netty.headers().entries());
        assertThat(HttpUtil.isTransferEncodingChunked(ours)).isTrue();
        assertThat(HttpUtil.isKeepAlive(ours)).isEqualTo(HttpUtil.isKeepAlive(netty)).isFalse();
        ByteBuf out = Unpooled.buffer();
        HeaderLines.start().lines(ours.headers(), (name, field) -> !HttpHeaderNames.COOKIE.contentEqualsIgnoreCase(name))
                .writeTo(out);
        assertThat(out.toString(StandardCharsets.ISO_8859_1))
                .isEqualTo("Host: a\r\nX-One: 1\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n");
    }

    @Test
    void asTheDecodersTable_aContentLengthAndChunkedConflict_failsTheRequest() {
        HttpRequest head = decode(LineHeaders.FACTORY,
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello");
        assertThat(head.decoderResult().isFailure()).isTrue();
    }

    private static HttpRequest decode(HttpHeadersFactory headers, String wire) {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpRequestDecoder(new HttpDecoderConfig()
                .setHeadersFactory(headers).setAllowDuplicateContentLengths(false).setStrictLineParsing(true)));
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        HttpRequest head = ch.readInbound();
        Object rest;
        while ((rest = ch.readInbound()) != null) {
            ReferenceCountUtil.release(rest);
        }
        ch.finishAndReleaseAll();
        return head;
    }
}
