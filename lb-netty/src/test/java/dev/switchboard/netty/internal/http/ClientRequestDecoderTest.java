package dev.switchboard.netty.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.netty.internal.upstream.DecoderRun;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client request decoder on bytes cut at every position: the same events whatever the cuts, the same as
 * Netty's decoder made of the valid requests, a failed head for each bad one (the proxy's 400, 414 or 431), and
 * the hold after an upgrade request.
 */
class ClientRequestDecoderTest {

    private static final Supplier<ChannelHandler> OURS = () -> new ClientRequestDecoder(DecoderRun.config(64, 256),
            Duration.ofSeconds(10).toNanos());

    private static void assertEverySplit(String wire, List<String> expected) {
        assertThat(DecoderRun.run(OURS, wire)).as("in one piece").isEqualTo(expected);
        for (Map.Entry<String, List<String>> run : DecoderRun.everySplit(OURS, wire).entrySet()) {
            assertThat(run.getValue()).as(run.getKey()).isEqualTo(expected);
        }
    }

    static Stream<Arguments> valid() {
        return Stream.of(
            Arguments.of("GET", "GET /a?b=c HTTP/1.1\r\nHost: a\r\nUser-Agent: wrk\r\nX-Custom:  v w \r\n\r\n",
                    List.of("head GET /a?b=c HTTP/1.1 | Host: a | User-Agent: wrk | X-Custom: v w", "end")),
            Arguments.of("Content-Length", "POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 20\r\n\r\n"
                    + "01234567890123456789", List.of("head POST /up HTTP/1.1 | Host: a | Content-Length: 20",
                    "body 01234567890123456789", "end")),
            Arguments.of("chunked with trailers, then a pipelined request", "POST /c HTTP/1.1\r\nHost: a\r\n"
                    + "transfer-encoding: Chunked\r\n\r\n3\r\nabc\r\n0;done\r\nX-Sum: 1\r\nTrailer: x\r\n\r\n"
                    + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n", List.of(
                    "head POST /c HTTP/1.1 | Host: a | transfer-encoding: Chunked", "body abc", "end | X-Sum: 1",
                    "head GET /next HTTP/1.1 | Host: a", "end")),
            Arguments.of("line breaks before the request", "\r\n\r\nGET / HTTP/1.0\r\n\r\n",
                    List.of("head GET / HTTP/1.0", "end")),
            Arguments.of("another method and version", "PURGE /x HTTP/7.3\r\nHost: a\r\n\r\n",
                    List.of("head PURGE /x HTTP/7.3 | Host: a", "end")),
            Arguments.of("a target with obs-text", "GET /caf\u00e9 HTTP/1.1\r\nHost: a\r\n\r\n",
                    List.of("head GET /caf\u00e9 HTTP/1.1 | Host: a", "end")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validRequest_decodesTheSameAtEveryCut_andAsNettysDecoder(String what, String wire, List<String> expected) {
        assertEverySplit(wire, expected);
        assertThat(DecoderRun.run(() -> new HttpRequestDecoder(DecoderRun.config(64, 256)), wire))
                .as("Netty's decoder").isEqualTo(expected);
    }

    static Stream<Arguments> bad() {
        String post = "POST /up HTTP/1.1\r\nHost: a\r\n";
        return Stream.of(
            Arguments.of("Content-Length and chunked", post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "ContentLengthNotAllowedException"),
            Arguments.of("chunked, then Content-Length",
                    post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
                    "ContentLengthNotAllowedException"),
            Arguments.of("a coding but chunked", post + "Transfer-Encoding: gzip\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("chunked over HTTP/1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "TransferEncodingNotAllowedException"),
            Arguments.of("two Content-Length lines", post + "Content-Length: 1\r\nContent-Length: 1\r\n\r\nx",
                    "IllegalArgumentException"),
            Arguments.of("a negative Content-Length", post + "Content-Length: -1\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a Content-Length over 2^63", post + "Content-Length: 99999999999999999999\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("space before the colon", post + "Transfer-Encoding : chunked\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("obs-fold", post + "Transfer-Encoding: gzip,\r\n\tchunked\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("a vertical tab before the value", post + "Transfer-Encoding: \u000bchunked\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("a control character in a value", post + "X-Bad: a\u0001b\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("a NUL in a name", post + "X-B\u0000d: v\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("bare LF", "GET / HTTP/1.1\nHost: a\n\n", "InvalidLineSeparatorException"),
            Arguments.of("bare LF ending the head", "GET / HTTP/1.1\r\nHost: a\r\n\n", "InvalidLineSeparatorException"),
            Arguments.of("TLS on a plain port", "\u0016\u0003\u0001\u0002\u0000garbage\r\n\r\n",
                    "InvalidLineSeparatorException"),
            Arguments.of("a request line over the limit", "GET /" + "a".repeat(80) + " HTTP/1.1\r\n\r\n",
                    "TooLongHttpLineException"),
            Arguments.of("line breaks over the limit", "\r\n".repeat(40) + "GET / HTTP/1.1\r\n\r\n",
                    "TooLongHttpLineException"),
            Arguments.of("a head over the limit", "GET / HTTP/1.1\r\n" + ("X-L: " + "v".repeat(60) + "\r\n").repeat(5)
                    + "\r\n", "TooLongHttpHeaderException"),
            Arguments.of("two spaces", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a space in the target", "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a CR in the target", "GET /a\rb HTTP/1.1\r\nHost: a\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("space after the version", "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("no version (HTTP/0.9)", "GET /\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a method that is not a token", "G(T / HTTP/1.1\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a close inside the head", "GET / HTTP/1.1\r\nHost: a\r\n",
                    "PrematureChannelClosureException"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badRequest_isAFailedHead_andNothingAfterIt(String what, String wire, String failure) {
        String smuggled = failure.startsWith("Premature") ? "" : "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n";
        assertEverySplit(wire + smuggled, List.of("fail-head " + failure));
    }

    @Test
    void failedHead_keepsItsRequestLine_withoutFraming() {
        EmbeddedChannel ch = new EmbeddedChannel(OURS.get());
        ch.writeInbound(Unpooled.copiedBuffer("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
                + ("X-L: " + "v".repeat(60) + "\r\n").repeat(5), StandardCharsets.ISO_8859_1));
        HttpRequest failed = ch.readInbound();
        assertThat(failed.decoderResult().cause()).isInstanceOf(TooLongHttpHeaderException.class);
        assertThat(failed.uri()).isEqualTo("/up");
        assertThat(failed.headers().contains("Content-Length")).isFalse();
        ReferenceCountUtil.release(failed);
        ch.finishAndReleaseAll();
    }

    @Test
    void upgradeRequest_holdsWhatFollows_untilTheHoldEnds() {
        ClientRequestDecoder decoder = (ClientRequestDecoder) OURS.get();
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        String wire = "GET /chat HTTP/1.1\r\nHost: a\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
                + "\u0081\u0005hello";
        for (byte b : wire.getBytes(StandardCharsets.ISO_8859_1)) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        HttpRequest head = ch.readInbound();
        assertThat(head.uri()).isEqualTo("/chat");
        assertThat((Object) ch.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
        assertThat((Object) ch.readInbound()).as("the frame bytes are held, not decoded").isNull();
        assertThat(decoder.endHold()).as("bytes came after the upgrade request").isTrue();
        ch.finishAndReleaseAll();
    }
}
