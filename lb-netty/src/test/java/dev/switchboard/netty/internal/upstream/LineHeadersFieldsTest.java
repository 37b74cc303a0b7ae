package dev.switchboard.netty.internal.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fields {@link LineHeaders} notes per line ({@link HeaderFields}) stay right through decoding and every edit:
 * what the table answers is what Netty's own table answers after the same operations.
 */
class LineHeadersFieldsTest {

    /** Names of fields in several letter cases, and names of no field, some close to one. */
    private static final List<CharSequence> NAMES = List.of("Content-Length", "content-length", "CONTENT-LENGTH",
            HttpHeaderNames.CONTENT_LENGTH, "Connection", "connection", HttpHeaderNames.CONNECTION,
            AsciiString.cached("CoNNection"), "Host", "host", HttpHeaderNames.HOST, "Transfer-Encoding", "te", "TE",
            "Upgrade", "keep-alive", "Keep-Alive", "X-Forwarded-For", "x-forwarded-for", "Sec-WebSocket-Key1",
            "sec-websocket-key2", "X-Custom", "x-custom", "Hosts", "Content-Lengt", "Connectio", "Sec-WebSocket-Key3",
            "Accept");
    private static final List<String> VALUES = List.of("close", "keep-alive", "Upgrade, close", "chunked", "12",
            "a", "");

    @Test
    void fieldsOfNames_anyCase_onlyTheWholeName() {
        assertThat(HeaderFields.of("content-LENGTH")).isEqualTo(HeaderFields.CONTENT_LENGTH);
        assertThat(HeaderFields.of(HttpHeaderNames.CONNECTION)).isEqualTo(HeaderFields.CONNECTION);
        assertThat(HeaderFields.of(AsciiString.cached("KEEP-alive"))).isEqualTo(HeaderFields.KEEP_ALIVE);
        assertThat(HeaderFields.of("Sec-WebSocket-Key2")).isEqualTo(HeaderFields.SEC_WEBSOCKET_KEY2);
        assertThat(HeaderFields.of("Proxy-Connection")).isEqualTo(HeaderFields.PROXY_CONNECTION);
        for (String other : List.of("Content-Lengt", "Content_Length", "X-Custom", "", "Hos\u0074\u0000",
                "Hos\u0154", "Sec-WebSocket-Key3", "A-Name-Much-Longer-Than-Any-Field")) {
            assertThat(HeaderFields.of(other)).as(other).isEqualTo(HeaderFields.OTHER);
        }
        byte[] line = "xxCONNECTION: close".getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderFields.of(line, 2, 10)).isEqualTo(HeaderFields.CONNECTION);
        assertThat(HeaderFields.of(line, 2, 9)).isEqualTo(HeaderFields.OTHER);
    }

    @Test
    void addSetRemove_ofFieldsAndOthers_inAnyCase_answerAsNettysTable() {
        Random random = new Random(20261207);
        for (int run = 0; run < 200; run++) {
            LineHeaders ours = (LineHeaders) LineHeaders.FACTORY.newHeaders();
            HttpHeaders netty = DefaultHttpHeadersFactory.headersFactory().withValidation(true).newHeaders();
            for (int op = 0; op < 30; op++) {
                CharSequence name = NAMES.get(random.nextInt(NAMES.size()));
                String value = VALUES.get(random.nextInt(VALUES.size()));
                switch (random.nextInt(6)) {
                    case 0, 1 -> both(ours, netty, t -> t.add(name, value));
                    case 2 -> both(ours, netty, t -> t.set(name, value));
                    case 3 -> both(ours, netty, t -> t.remove(name));
                    case 4 -> both(ours, netty, t -> t.set(name, List.of(value, "x")));
                    default -> {
                        if (random.nextInt(10) == 0) {
                            both(ours, netty, HttpHeaders::clear);
                        }
                    }
                }
                assertSame(ours, netty, "run " + run + " op " + op);
                assertSame((LineHeaders) ours.copy(), netty, "copy, run " + run + " op " + op);
            }
        }
    }

    @Test
    void aDecodedHead_notesItsFields_andEditsKeepThemRight() {
        String wire = "HTTP/1.1 200 OK\r\nconnection: keep-alive\r\nCONNECTION: X-Hop\r\nX-Hop: 1\r\n"
                + "Content-Length: 0\r\nKeep-Alive: timeout=5\r\nx-custom: a\r\n\r\n";
        EmbeddedChannel ch = new EmbeddedChannel(new ResponseDecoder(DecoderRun.config(256, 1024),
                new ArrayDeque<>(List.of(HttpMethod.GET))));
        ch.writeInbound(Unpooled.copiedBuffer(wire, StandardCharsets.ISO_8859_1));
        HttpResponse head = ch.readInbound();
        ReferenceCountUtil.release(ch.readInbound());
        ch.finishAndReleaseAll();
        LineHeaders t = (LineHeaders) head.headers();

        assertThat(t.count(HeaderFields.CONNECTION)).isEqualTo(2);
        assertThat(t.fieldAt(0)).isEqualTo(HeaderFields.CONNECTION);
        assertThat(t.fieldAt(2)).isEqualTo(HeaderFields.OTHER);
        assertThat(t.getAll("Connection")).containsExactly("keep-alive", "X-Hop");
        assertThat(t.containsValue(HttpHeaderNames.CONNECTION, "x-hop", true)).isTrue();
        assertThat(t.has(HeaderFields.HOST)).isFalse();

        t.remove("CONNECTION");
        assertThat(t.has(HeaderFields.CONNECTION)).isFalse();
        assertThat(t.get(HttpHeaderNames.CONNECTION)).isNull();
        assertThat(t.get("x-hop")).isEqualTo("1");
        t.add("Host", "a").add("host", "b");
        assertThat(t.count(HeaderFields.HOST)).isEqualTo(2);
        t.set("HOST", "c");
        assertThat(t.count(HeaderFields.HOST)).isEqualTo(1);
        assertThat(t.get(HttpHeaderNames.HOST)).isEqualTo("c");
        assertThat(t.indexOf(HeaderFields.KEEP_ALIVE, 0)).isEqualTo(2);
        assertThat(t.nameAt(t.indexOf(HeaderFields.KEEP_ALIVE, 0))).hasToString("Keep-Alive");
    }

    private static void both(HttpHeaders ours, HttpHeaders netty, java.util.function.Consumer<HttpHeaders> edit) {
        edit.accept(ours);
        edit.accept(netty);
    }

    private static void assertSame(LineHeaders ours, HttpHeaders netty, String when) {
        assertThat(ours.entries()).as(when).isEqualTo(netty.entries());
        for (CharSequence name : NAMES) {
            String what = when + ", " + name;
            assertThat(ours.contains(name)).as(what).isEqualTo(netty.contains(name));
            assertThat(ours.get(name)).as(what).isEqualTo(netty.get(name));
            assertThat(ours.getAll(name)).as(what).isEqualTo(netty.getAll(name));
            for (String token : List.of("close", "upgrade", "CHUNKED")) {
                assertThat(ours.containsValue(name, token, true)).as(what + " " + token)
                        .isEqualTo(netty.containsValue(name, token, true));
            }
            int field = HeaderFields.of(name);
            if (field != HeaderFields.OTHER) {
                assertThat(ours.has(field)).as(what).isEqualTo(netty.contains(name));
                assertThat(ours.count(field)).as(what).isEqualTo(netty.getAll(name).size());
            }
        }
        for (int i = 0; i < ours.size(); i++) {
            assertThat(ours.fieldAt(i)).as(when + ", line " + i).isEqualTo(HeaderFields.of(ours.nameAt(i)));
        }
    }
}
