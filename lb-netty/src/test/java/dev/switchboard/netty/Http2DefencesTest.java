package dev.switchboard.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.api.Cidr;
import dev.switchboard.api.testing.Eventually;
import dev.switchboard.netty.settings.Http2Limits;
import dev.switchboard.netty.settings.Limits;
import dev.switchboard.netty.settings.Timeouts;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2FrameTypes;
import io.netty.handler.codec.http2.Http2Settings;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a public HTTP/2 endpoint must survive, sent with Netty's frame writer as a client never would: each abuse is
 * answered with a stream reset or a GOAWAY, and what the gateway holds stays bounded.
 */
class Http2DefencesTest {

    private static final long ENHANCE_YOUR_CALM = Http2Error.ENHANCE_YOUR_CALM.code();

    private static ProxyFixture gateway(StreamBackend server, Http2Limits limits) {
        return ProxyFixture.start(Http2CleartextTest.service(server),
                b -> b.http2Cleartext(true).http2Limits(limits));
    }

    @Test
    void tooManyStreams_theOneAboveTheLimitIsRefused() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = gateway(s1, Http2Limits.DEFAULTS.withMaxConcurrentStreams(5));
                H2Wire h2 = H2Wire.connect(g.port())) {
            for (int i = 0; i < 6; i++) { // bodies never sent: every stream stays open
                h2.headers(1 + 2 * i, H2Wire.post("/echo"), false);
            }
            H2Wire.Reset refused = h2.await(H2Wire.Reset.class, r -> r.stream() == 11, 5);
            assertThat(refused.code()).isEqualTo(Http2Error.REFUSED_STREAM.code());
            assertThat(h2.isOpen()).isTrue();
        }
    }

    @Test
    void rapidReset_floodEndsTheConnectionWithGoAway() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = gateway(s1, Http2Limits.DEFAULTS.withMaxResets(50, Duration.ofSeconds(30)));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.run(c -> {
                for (int i = 0; i < 200; i++) {
                    int stream = 1 + 2 * i;
                    h2.writer.writeHeaders(c, stream, H2Wire.get("/r/" + i), 0, true, c.newPromise());
                    h2.writer.writeRstStream(c, stream, Http2Error.CANCEL.code(), c.newPromise());
                }
            });
            H2Wire.GoAway away = h2.await(H2Wire.GoAway.class, x -> true, 5);
            assertThat(away.code()).isEqualTo(ENHANCE_YOUR_CALM);
            Eventually.until("connection closed", () -> !h2.isOpen());
            g.assertNoLeaseHeld();
        }
    }

    @Test
    void continuationFlood_endsTheConnectionWithGoAway_beforeTheHeaderListGrowsPastItsLimit() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = gateway(s1, Http2Limits.DEFAULTS);
                H2Wire h2 = H2Wire.connect(g.port())) {
            byte[] crumb = literal("x-flood", "a".repeat(100));
            h2.run(c -> {
                c.write(H2Wire.frame(Http2FrameTypes.HEADERS, 0, 1, literal(":method", "GET")));
                for (int i = 0; i < 2_000; i++) { // 230 KB of header block, never ended
                    c.write(H2Wire.frame(Http2FrameTypes.CONTINUATION, 0, 1, crumb));
                }
            });
            // GOAWAY(ENHANCE_YOUR_CALM) goes out, then the connection closes at once; a client still sending may
            // lose the GOAWAY to the reset of its unread bytes, never the close
            Eventually.until("connection closed", () -> !h2.isOpen());
            assertThat(h2.frames).noneMatch(f -> f instanceof H2Wire.GoAway a && a.code() != ENHANCE_YOUR_CALM);
            assertThat(s1.heads).isEmpty();
        }
    }

    @Test
    void oversizedHeaders_areAnswered431_andTheConnectionStays() throws Exception {
        Http2Limits limits = new Http2Limits(100, 4096, Http2Limits.MIN_FRAME_SIZE, 65_536, 200,
                Duration.ofSeconds(30), 1000, Duration.ofSeconds(10), 10_000);
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = gateway(s1, limits);
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.get("/big-head").add("x-big", "b".repeat(4200)), true);
            H2Wire.Headers answer = h2.await(H2Wire.Headers.class, h -> h.stream() == 1, 5);
            assertThat(answer.headers().status()).hasToString("431");

            h2.headers(3, H2Wire.get("/after"), true);
            assertThat(h2.response(3, 5).status()).isEqualTo("200");
            assertThat(s1.take().line()).isEqualTo("GET /after");
        }
    }

    @Test
    void hpackBomb_oneBigEntryReferencedManyTimes_isRefused() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1"); ProxyFixture g = gateway(s1, Http2Limits.DEFAULTS);
                H2Wire h2 = H2Wire.connect(g.port())) {
            ByteArrayOutputStream block = new ByteArrayOutputStream();
            block.writeBytes(new byte[] {(byte) 0x82, (byte) 0x84, (byte) 0x86}); // GET, /, http (static table)
            block.writeBytes(indexedLiteral("x-bomb", "z".repeat(3_000))); // into the dynamic table (index 62)
            for (int i = 0; i < 3_000; i++) {
                block.write(0x80 | 62); // 3,000 one-byte references: 9 MB decoded
            }
            byte[] payload = block.toByteArray();
            h2.run(c -> c.write(H2Wire.frame(Http2FrameTypes.HEADERS,
                    Http2Flags.END_HEADERS | Http2Flags.END_STREAM, 1, payload)));
            H2Wire.Frame answer = h2.await(H2Wire.Frame.class, f -> f instanceof H2Wire.GoAway
                    || f instanceof H2Wire.Reset || f instanceof H2Wire.Headers, 5);
            if (answer instanceof H2Wire.Headers h) {
                assertThat(h.headers().status()).hasToString("431");
            }
            assertThat(s1.heads).isEmpty();
        }
    }

    @Test
    void pingFlood_endsTheConnectionWithGoAway() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = gateway(s1, Http2Limits.DEFAULTS.withMaxControlFrames(100, Duration.ofSeconds(10)));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.run(c -> {
                for (long i = 0; i < 500; i++) {
                    h2.writer.writePing(c, false, i, c.newPromise());
                }
            });
            H2Wire.GoAway away = h2.await(H2Wire.GoAway.class, x -> true, 5);
            assertThat(away.code()).isEqualTo(ENHANCE_YOUR_CALM);
            Eventually.until("connection closed", () -> !h2.isOpen());
        }
    }

    @Test
    void streamThatNeverReads_isResetAfterTheIdleTimeout_andTheGatewayStopsReadingTheRealServer()
            throws Exception {
        Timeouts quick = new Timeouts(Duration.ofSeconds(3), Duration.ofSeconds(60), Duration.ofSeconds(60),
                Duration.ofMillis(800), Duration.ofSeconds(1));
        long size = 256L << 20;
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(Http2CleartextTest.service(s1),
                        b -> b.http2Cleartext(true).timeouts(quick));
                H2Wire h2 = H2Wire.connect(g.port(), new Http2Settings().initialWindowSize(1024), false)) {
            h2.headers(1, H2Wire.get("/big?n=" + size), true);
            H2Wire.Reset reset = h2.await(H2Wire.Reset.class, r -> r.stream() == 1, 10);

            assertThat(reset.code()).isEqualTo(Http2Error.CANCEL.code());
            assertThat(s1.written.get()).isLessThan(32L << 20); // socket buffers and one piece, not the body
            g.assertNoLeaseHeld();
            assertThat(h2.isOpen()).isTrue();
        }
    }

    @Test
    void behindATrustedProxy_requestsPerForwardedClient_areCountedPerStream() throws Exception {
        try (StreamBackend s1 = new StreamBackend("s1");
                ProxyFixture g = ProxyFixture.start(Http2CleartextTest.service(s1), b -> b.http2Cleartext(true)
                        .trustedProxies(List.of(Cidr.parse("127.0.0.1/32")))
                        .limits(Limits.DEFAULTS.withConnectionLimits(0, 1)));
                H2Wire h2 = H2Wire.connect(g.port())) {
            h2.headers(1, H2Wire.post("/echo").add("x-forwarded-for", "192.0.2.7"), false); // held open
            assertThat(s1.take().line()).isEqualTo("POST /echo");
            h2.headers(3, H2Wire.get("/again").add("x-forwarded-for", "192.0.2.7"), true);
            h2.headers(5, H2Wire.get("/other").add("x-forwarded-for", "192.0.2.8"), true);

            assertThat(h2.response(3, 5).status()).isEqualTo("429");
            assertThat(h2.response(5, 5).status()).isEqualTo("200");
            h2.data(1, new byte[0], true);
            assertThat(h2.response(1, 5).status()).isEqualTo("200");
            h2.headers(7, H2Wire.get("/after").add("x-forwarded-for", "192.0.2.7"), true);
            assertThat(h2.response(7, 5).status()).isEqualTo("200"); // the slot came back with the response's end
        }
    }

    /** An HPACK literal header field without indexing, new name (RFC 7541 6.2.2), short strings only. */
    static byte[] literal(String name, String value) {
        return field(0x00, name, value);
    }

    /** An HPACK literal header field with incremental indexing, new name (RFC 7541 6.2.1). */
    static byte[] indexedLiteral(String name, String value) {
        return field(0x40, name, value);
    }

    private static byte[] field(int first, String name, String value) {
        ByteBuf b = Unpooled.buffer();
        b.writeByte(first);
        string(b, name.getBytes(StandardCharsets.US_ASCII));
        string(b, value.getBytes(StandardCharsets.US_ASCII));
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    /** An HPACK string literal, no Huffman, with the 7-bit prefix integer length. */
    private static void string(ByteBuf b, byte[] s) {
        int n = s.length;
        if (n < 127) {
            b.writeByte(n);
        } else {
            b.writeByte(127);
            n -= 127;
            while (n >= 128) {
                b.writeByte(n % 128 + 128);
                n /= 128;
            }
            b.writeByte(n);
        }
        b.writeBytes(s);
    }
}
