package dev.switchboard.netty.internal.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Http1EncoderTest {

    private boolean dropBodies;
    private final EmbeddedChannel ch = new EmbeddedChannel(new Http1Encoder(new HttpResponseEncoder()) {
        @Override
        protected boolean bodiless(SelfWritingHead head) {
            return dropBodies;
        }
    });

    @Test
    void aLengthFramedBody_goesOutAsItCame_afterTheHeadAndItsEmptyLine() {
        ByteBuf body = text("hello");

        ch.writeOutbound(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", false, false),
                new DefaultLastHttpContent(body));

        List<ByteBuf> out = outbound();
        assertThat(out).hasSize(2);
        assertThat(string(out)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(out.get(1)).isSameAs(body);
        release(out);
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void aHeadWrittenWithoutAPromise_takesItsFirstBodyPieceIntoItsBuffer_whenItFits() {
        ByteBuf body = text("hello");
        ByteBuf large = text("x".repeat(SmallBuffers.MAX));

        ch.write(head("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n", false, false), ch.voidPromise());
        ch.writeAndFlush(new DefaultLastHttpContent(body), ch.voidPromise());
        List<ByteBuf> one = outbound();
        ch.write(head("HTTP/1.1 200 OK\r\nContent-Length: 2048\r\n", false, false), ch.voidPromise());
        ch.writeAndFlush(new DefaultLastHttpContent(large), ch.voidPromise());
        List<ByteBuf> two = outbound();

        assertThat(one).hasSize(1);
        assertThat(string(one)).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertThat(body.refCnt()).isZero();
        assertThat(two).hasSize(2);
        assertThat(two.get(1)).isSameAs(large);
        assertThat(two.get(0).toString(StandardCharsets.US_ASCII)).endsWith("2048\r\n\r\n");
        release(one);
        release(two);
    }

    @Test
    void aHeldHead_goesOutAloneOnAFlush_beforeWhatFollows() {
        ch.write(head("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n", false, false), ch.voidPromise());
        ch.flush();
        String flushed = drain();
        ch.writeAndFlush(new DefaultHttpContent(text("ab")), ch.voidPromise());
        ch.writeAndFlush(new DefaultLastHttpContent(text("c")), ch.voidPromise());
        String body = drain();

        assertThat(flushed).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\n");
        assertThat(body).isEqualTo("abc");
    }

    @Test
    void aChunkedBody_getsChunkLines_andTheTrailersAfterTheLastChunk() {
        LastHttpContent last = new DefaultLastHttpContent(text("!"));
        last.trailingHeaders().add("X-Sum", "42");

        ch.writeOutbound(head("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n", true, false),
                new DefaultHttpContent(text("0123456789abcdefg")), new DefaultHttpContent(Unpooled.EMPTY_BUFFER),
                last, head("HTTP/1.1 200 OK\r\n", true, false), LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(drain()).isEqualTo("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "11\r\n0123456789abcdefg\r\n" + "1\r\n!\r\n0\r\nX-Sum: 42\r\n\r\n"
                + "HTTP/1.1 200 OK\r\n\r\n0\r\n\r\n");
    }

    @Test
    void aBodyNeverSent_isDropped_andReleased() {
        dropBodies = true;
        ByteBuf body = text("not for HEAD");

        ch.writeOutbound(head("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n", false, false),
                new DefaultLastHttpContent(body));

        assertThat(drain()).isEqualTo("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n");
        assertThat(body.refCnt()).isZero();
    }

    @Test
    void aCompleteHead_isTheWholeMessage_andTheNextHeadFollowsIt() {
        ch.writeOutbound(head("GET /a HTTP/1.1\r\nHost: x\r\n", false, true),
                head("GET /b HTTP/1.1\r\nHost: x\r\n", false, true));

        assertThat(drain()).isEqualTo("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    }

    @Test
    void otherHeadsAndTheirBodies_goThroughNettysEncoder_thenTheFastPathAgain() {
        DefaultHttpResponse interim = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        interim.headers().set("Content-Length", "2");

        ch.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE),
                interim, new DefaultLastHttpContent(text("ok")),
                head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n", false, false), LastHttpContent.EMPTY_LAST_CONTENT);

        assertThat(drain()).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    }

    @Test
    void aHeadBeforeTheEndOfTheBody_isRefused() {
        ch.writeOutbound(head("HTTP/1.1 200 OK\r\n", false, false));

        Throwable refused = ch.writeAndFlush(head("HTTP/1.1 200 OK\r\n", false, false)).cause();

        assertThat(refused).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("before the end of the body");
        release(outbound());
    }

    @Test
    void smallBuffers_reuseTheirRegionOnceReleased_andLetAFullOneGoWhenTheLastSliceIs() {
        ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
        ByteBuf first = SmallBuffers.copy(alloc, bytes("first"), 0, 5);
        long start = first.memoryAddress();
        first.release();
        ByteBuf held = SmallBuffers.copy(alloc, bytes("held"), 0, 4);
        assertThat(held.memoryAddress()).isEqualTo(start); // the region started again

        List<ByteBuf> more = new ArrayList<>();
        for (int i = 0; i < SmallBuffers.REGION / SmallBuffers.MAX; i++) { // the last one does not fit any more
            more.add(SmallBuffers.copy(alloc, new byte[SmallBuffers.MAX], 0, SmallBuffers.MAX));
        }
        long moved = more.get(more.size() - 1).memoryAddress();

        assertThat(moved < start || moved >= start + SmallBuffers.REGION).as("in a new region").isTrue();
        assertThat(held.toString(StandardCharsets.US_ASCII)).isEqualTo("held");
        assertThat(SmallBuffers.take(alloc, SmallBuffers.MAX + 1).capacity()).isEqualTo(SmallBuffers.MAX + 1);
        release(more.subList(0, more.size() - 1));
        held.release();
        assertThat(held.refCnt()).isZero(); // the full region is freed with its last slice
        more.get(more.size() - 1).release();
    }

    private static SelfWritingHead head(String lines, boolean chunked, boolean complete) {
        return new SelfWritingHead() {
            @Override
            public void writeHead(HeaderLines out) {
                out.latin1(lines);
            }

            @Override
            public boolean chunked() {
                return chunked;
            }

            @Override
            public boolean complete() {
                return complete;
            }
        };
    }

    private List<ByteBuf> outbound() {
        List<ByteBuf> out = new ArrayList<>();
        for (Object m; (m = ch.readOutbound()) != null;) {
            out.add((ByteBuf) m);
        }
        return out;
    }

    private String drain() {
        List<ByteBuf> out = outbound();
        String s = string(out);
        release(out);
        return s;
    }

    private static String string(List<ByteBuf> out) {
        StringBuilder s = new StringBuilder();
        out.forEach(b -> s.append(b.toString(StandardCharsets.ISO_8859_1)));
        return s.toString();
    }

    private static void release(List<ByteBuf> out) {
        out.forEach(ByteBuf::release);
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
