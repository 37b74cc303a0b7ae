package dev.switchboard.netty.internal.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The upstream response decoder on bytes cut at every position: the same events whatever the cuts, the same as
 * Netty's decoder made of the valid responses, and a failure (502 in the proxy) for each bad one.
 */
class ResponseDecoderTest {

    private static Supplier<ChannelHandler> ours(HttpMethod... methods) {
        return () -> new ResponseDecoder(DecoderRun.config(64, 256), new ArrayDeque<>(List.of(methods)));
    }

    private static void assertEverySplit(Supplier<ChannelHandler> decoder, String wire, List<String> expected) {
        assertThat(DecoderRun.run(decoder, wire)).as("in one piece").isEqualTo(expected);
        for (Map.Entry<String, List<String>> run : DecoderRun.everySplit(decoder, wire).entrySet()) {
            assertThat(run.getValue()).as(run.getKey()).isEqualTo(expected);
        }
    }

    static Stream<Arguments> valid() {
        return Stream.of(
            Arguments.of("Content-Length", "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n"
                    + "Content-Length: 5\r\n\r\nhello", List.of(
                    "head HTTP/1.1 200 'OK' | Server: nginx | Content-Type: text/html | Content-Length: 5",
                    "body hello", "end")),
            Arguments.of("chunked, extensions, trailers", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=val;q=\"a\\\"b\"\r\nhello\r\n6 ; x\r\n world\r\n0\r\nX-Sum: abc\r\n"
                    + "Content-Length: 9\r\n\r\n",
                    List.of("head HTTP/1.1 200 'OK' | Transfer-Encoding: chunked", "body hello world",
                            "end | X-Sum: abc")),
            Arguments.of("until the close", "HTTP/1.0 200 OK\r\nX: y\r\n\r\nuntil the close, more than 16 bytes",
                    List.of("head HTTP/1.0 200 'OK' | X: y", "body until the close, more than 16 bytes", "end")),
            Arguments.of("interim, 204 and 304", "\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n",
                    List.of("head HTTP/1.1 100 'Continue'", "end", "head HTTP/1.1 204 'No Content'", "end",
                            "head HTTP/1.1 304 'Not Modified' | Content-Length: 10", "end")),
            Arguments.of("101, then another protocol", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n\u0081\u0005hello", List.of(
                    "head HTTP/1.1 101 'Switching Protocols' | Upgrade: websocket | Connection: Upgrade"
                            + " | Sec-WebSocket-Accept: x", "end", "raw \u0081\u0005hello")),
            Arguments.of("own reason, empty reason, empty value, tabs", "HTTP/1.1 299 Fine  Thing\r\n"
                    + "X-Empty:\r\nX-Tab:\tv\t\r\nContent-Length: 0\r\n\r\n"
                    + "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok",
                    List.of("head HTTP/1.1 299 'Fine  Thing' | X-Empty:  | X-Tab: v | Content-Length: 0", "end",
                            "head HTTP/1.1 200 '' | Content-Length: 2", "body ok", "end")),
            Arguments.of("obs-text and a long body", "HTTP/1.1 200 OK\r\nX-Name: caf\u00e9\r\n"
                    + "Content-Length: 40\r\n\r\n"
                    + "0123456789012345678901234567890123456789", List.of(
                    "head HTTP/1.1 200 'OK' | X-Name: caf\u00e9 | Content-Length: 40",
                    "body 0123456789012345678901234567890123456789", "end")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void validResponse_decodesTheSameAtEveryCut_andAsNettysDecoder(String what, String wire, List<String> expected) {
        assertEverySplit(ours(), wire, expected);
        assertThat(DecoderRun.run(() -> new HttpResponseDecoder(DecoderRun.config(64, 256)), wire))
                .as("Netty's decoder").isEqualTo(expected);
    }

    @Test
    void responseToHead_hasNoBody_andTheNextResponseIsRead() {
        assertEverySplit(ours(HttpMethod.HEAD, HttpMethod.GET), "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", List.of(
                "head HTTP/1.1 200 'OK' | Content-Length: 5", "end",
                "head HTTP/1.1 200 'OK' | Content-Length: 2", "body ok", "end"));
    }

    static Stream<Arguments> bad() {
        String ok = "HTTP/1.1 200 OK\r\n";
        return Stream.of(
            Arguments.of("whitespace before the colon", ok + "X-Thing : value\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a line without a colon", ok + "X-Good: yes\r\nBad Header Line\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("obs-fold", ok + "X-A: a\r\n b\r\nContent-Length: 0\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a status of two digits", "HTTP/1.1 20 OK\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("not HTTP", "SMTP READY\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a control character in a value", ok + "X: a\u0001b\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("DEL in a value", ok + "X: a\u007fb\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("a CR inside a value", ok + "X: a\rb\r\n\r\n", "IllegalArgumentException"),
            Arguments.of("two Content-Length lines", ok + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
                    "IllegalArgumentException"),
            Arguments.of("a Content-Length list", ok + "Content-Length: 5, 5\r\n\r\nhello", "IllegalArgumentException"),
            Arguments.of("a signed Content-Length", ok + "Content-Length: +5\r\n\r\nhello", "IllegalArgumentException"),
            Arguments.of("Content-Length and chunked", ok + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "ContentLengthNotAllowedException"),
            Arguments.of("chunked twice", ok + "Transfer-Encoding: chunked, chunked\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("chunked not last", ok + "Transfer-Encoding: chunked, gzip\r\n\r\n",
                    "IllegalArgumentException"),
            Arguments.of("Transfer-Encoding over HTTP/1.0", "HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                    "TransferEncodingNotAllowedException"),
            Arguments.of("bare LF", "HTTP/1.1 200 OK\nContent-Length: 0\n\n", "InvalidLineSeparatorException"),
            Arguments.of("a status line over the limit", "HTTP/1.1 200 " + "k".repeat(80) + "\r\n\r\n",
                    "TooLongHttpLineException"),
            Arguments.of("headers over the limit", ok + ("X-Long: " + "v".repeat(60) + "\r\n").repeat(5) + "\r\n",
                    "TooLongHttpHeaderException"),
            Arguments.of("a close inside the head", ok + "X: y\r\n", "PrematureChannelClosureException"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bad")
    void badHead_isAFailedHead_andNothingAfterIt(String what, String wire, String failure) {
        assertEverySplit(ours(), wire, List.of("fail-head " + failure));
    }

    static Stream<Arguments> badBodies() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        String headLine = "head HTTP/1.1 200 'OK' | Transfer-Encoding: chunked";
        return Stream.of(
            Arguments.of("a chunk size that is not hex", head + "zz\r\nhello\r\n0\r\n\r\n",
                    List.of(headLine, "fail-body NumberFormatException")),
            Arguments.of("whitespace after the size", head + "5 \r\nhello\r\n0\r\n\r\n",
                    List.of(headLine, "fail-body NumberFormatException")),
            Arguments.of("chunk data without CRLF after it", head + "5\r\nhelloXX0\r\n\r\n",
                    List.of(headLine, "body hello", "fail-body InvalidChunkTerminationException")),
            Arguments.of("an unterminated quoted extension", head + "5;a=\"x\r\nhello\r\n0\r\n\r\n",
                    List.of(headLine, "fail-body InvalidChunkExtensionException")),
            Arguments.of("a chunk line ending in a bare LF", head + "5\nhello\r\n0\r\n\r\n",
                    List.of(headLine, "fail-body InvalidChunkExtensionException")),
            Arguments.of("a chunk size over 2^31", head + "80000000\r\n",
                    List.of(headLine, "fail-body NumberFormatException")),
            Arguments.of("an invalid trailer", head + "0\r\nBad Trailer\r\n\r\n",
                    List.of(headLine, "fail-body IllegalArgumentException")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBodies")
    void badChunkedBody_isAFailedLastPiece_afterWhatWasValid(String what, String wire, List<String> expected) {
        assertEverySplit(ours(), wire, expected);
    }
}
