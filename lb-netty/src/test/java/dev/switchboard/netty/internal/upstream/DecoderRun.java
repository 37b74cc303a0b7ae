package dev.switchboard.netty.internal.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Feeds bytes to an HTTP/1.1 decoder in an {@link EmbeddedChannel}, cut into pieces where a test says, and writes
 * what came out as one line of text per event: {@code head ...} with the start line and every header, {@code body
 * ...} with the bytes of consecutive body pieces joined (so that where the input was cut does not show), {@code end}
 * with the trailers, {@code raw ...} for bytes handed on after a protocol switch, {@code fail-head} or
 * {@code fail-body} with the failure's class. Every message is released.
 */
public final class DecoderRun {

    private DecoderRun() {
    }

    /** The decoders' configuration in the proxy, with small limits for the tests that reach them. */
    public static HttpDecoderConfig config(int maxLine, int maxHeaders) {
        return new HttpDecoderConfig().setMaxInitialLineLength(maxLine).setMaxHeaderSize(maxHeaders)
                .setMaxChunkSize(16).setHeadersFactory(LineHeaders.FACTORY)
                .setTrailersFactory(UpstreamCodec.SMALL_TRAILERS).setAllowDuplicateContentLengths(false)
                .setStrictLineParsing(true).setUseRfc9112TransferEncoding(true);
    }

    /** What {@code decoder} makes of {@code wire} cut at {@code cuts} (ascending), the channel closed at the end. */
    public static List<String> run(Supplier<ChannelHandler> decoder, String wire, int... cuts) {
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        EmbeddedChannel ch = new EmbeddedChannel(decoder.get());
        List<String> events = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : bytes.length;
            if (to > from) {
                ch.writeInbound(Unpooled.directBuffer(to - from).writeBytes(bytes, from, to - from));
            }
            from = to;
            drain(ch, events, body);
        }
        ch.finish();
        drain(ch, events, body);
        flush(events, body);
        return events;
    }

    /**
     * The events for every way of cutting {@code wire} in two, in three at a stride (at most some 300 ways), and
     * byte by byte, by where it was cut.
     */
    public static Map<String, List<String>> everySplit(Supplier<ChannelHandler> decoder, String wire) {
        int n = wire.length();
        Map<String, List<String>> all = new LinkedHashMap<>();
        for (int i = 1; i < n; i++) {
            all.put("cut at " + i, run(decoder, wire, i));
        }
        int stride = Math.max(1, n / 24);
        for (int i = 1; i < n; i += stride) {
            for (int j = i + 1; j < n; j += stride) {
                all.put("cut at " + i + " and " + j, run(decoder, wire, i, j));
            }
        }
        int[] each = new int[Math.max(0, n - 1)];
        for (int i = 0; i < each.length; i++) {
            each[i] = i + 1;
        }
        all.put("byte by byte", run(decoder, wire, each));
        return all;
    }

    private static void drain(EmbeddedChannel ch, List<String> events, StringBuilder body) {
        Object msg;
        while ((msg = ch.readInbound()) != null) {
            try {
                describe(msg, events, body);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }
    }

    private static void describe(Object msg, List<String> events, StringBuilder body) {
        if (msg instanceof HttpMessage m) {
            flush(events, body);
            if (m.decoderResult().isFailure()) {
                events.add("fail-head " + m.decoderResult().cause().getClass().getSimpleName());
                return;
            }
            StringBuilder s = new StringBuilder("head ");
            if (m instanceof HttpRequest r) {
                s.append(r.method()).append(' ').append(r.uri()).append(' ').append(r.protocolVersion());
            } else if (m instanceof HttpResponse r) {
                s.append(r.protocolVersion()).append(' ').append(r.status().code()).append(" '")
                        .append(r.status().reasonPhrase()).append('\'');
            }
            for (Map.Entry<String, String> h : m.headers()) {
                s.append(" | ").append(h.getKey()).append(": ").append(h.getValue());
            }
            events.add(s.toString());
        } else if (msg instanceof HttpContent c) {
            if (c.decoderResult().isFailure()) {
                flush(events, body);
                events.add("fail-body " + c.decoderResult().cause().getClass().getSimpleName());
                return;
            }
            body.append(c.content().toString(StandardCharsets.ISO_8859_1));
            if (c instanceof LastHttpContent last) {
                flush(events, body);
                StringBuilder s = new StringBuilder("end");
                for (Map.Entry<String, String> h : last.trailingHeaders()) {
                    s.append(" | ").append(h.getKey()).append(": ").append(h.getValue());
                }
                events.add(s.toString());
            }
        } else if (msg instanceof ByteBuf raw) {
            flush(events, body);
            String text = raw.toString(StandardCharsets.ISO_8859_1);
            int last = events.size() - 1;
            if (last >= 0 && events.get(last).startsWith("raw ")) {
                events.set(last, events.get(last) + text);
            } else {
                events.add("raw " + text);
            }
        }
    }

    private static void flush(List<String> events, StringBuilder body) {
        if (body.length() > 0) {
            events.add("body " + body);
            body.setLength(0);
        }
    }
}
