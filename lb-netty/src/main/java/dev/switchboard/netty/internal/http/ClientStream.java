package dev.switchboard.netty.internal.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.util.ArrayDeque;

/**
 * One HTTP/2 request stream of a client connection, without a channel or a pipeline of its own: the frames
 * {@link ClientStreams} reads for it wait here as the HTTP/1.1 message objects ({@link StreamRequests}) until its
 * {@link ClientConnection} asks for the next one (so a request body is taken, and the stream's window given back,
 * only as fast as the real server takes it), and what the connection writes goes out as frames
 * ({@link StreamResponses}). Closing it resets the stream when it has not ended both ways; when the stream closes,
 * for whatever reason, its connection hears of it after the current event ({@link #run}), as a channel's
 * inactivity would come. Event loop only.
 */
final class ClientStream implements ClientSide, ClientFraming, Runnable {

    private final ClientStreams streams;
    private final Http2Stream stream;
    private final ClientConnection conn;
    private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);
    private boolean wanted;
    private boolean delivering;
    private boolean closed;
    private boolean localEnded;
    /** The client counted for this stream's request by {@link StreamRequestLimit}, or null. */
    InetAddress counted;
    /** When a frame last came or went ({@link System#nanoTime()}); {@link StreamIdle}'s. */
    long lastActivity = System.nanoTime();
    /** The neighbours in {@link StreamIdle}'s list of open streams. */
    ClientStream idlePrevious;
    ClientStream idleNext;

    ClientStream(ClientStreams streams, Http2Stream stream, ProxyContext context, InetAddress peer,
            String tlsServerName, String tlsSessionId) {
        this.streams = streams;
        this.stream = stream;
        this.conn = new ClientConnection(context, this);
        conn.inherit(peer, tlsServerName, tlsSessionId);
    }

    ClientConnection connection() {
        return conn;
    }

    Http2Stream stream() {
        return stream;
    }

    // ---- from the connection's handler

    /** A request head or body piece came for this stream. */
    void arrived(Object msg) {
        lastActivity = System.nanoTime();
        if (closed) {
            ReferenceCountUtil.release(msg);
            return;
        }
        inbound.add(msg);
        deliver();
    }

    /** The stream closed (ended both ways, reset, or the connection went). */
    void streamClosed() {
        if (closed) {
            return;
        }
        closed = true;
        streams.limit().release(this);
        Object msg;
        while ((msg = inbound.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        eventLoop().execute(this); // after the event that closed it, as a channel's inactivity comes
    }

    /** Tells the connection its stream closed. */
    @Override
    public void run() {
        conn.closed();
    }

    /** No frame either way for the idle timeout: the request decides whether the stream is reset. */
    void idle() {
        if (!closed) {
            conn.idle();
        }
    }

    void writabilityChanged() {
        if (!closed && isWritable()) {
            conn.writable();
        }
    }

    private void deliver() {
        if (delivering) {
            return; // the loop below hands over what a read inside it asked for
        }
        delivering = true;
        try {
            while (wanted && !closed && !inbound.isEmpty()) {
                wanted = false;
                Object msg = inbound.poll();
                if (msg instanceof HttpContent piece) {
                    streams.consumed(stream, piece.content().readableBytes());
                }
                if (msg instanceof HttpRequest head && !streams.limit().admit(this, head)) {
                    continue;
                }
                conn.received(msg);
            }
        } finally {
            delivering = false;
        }
    }

    // ---- ClientSide

    @Override
    public EventLoop eventLoop() {
        return streams.channel().eventLoop();
    }

    @Override
    public Channel channel() {
        return streams.channel();
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public boolean isWritable() {
        return !closed && streams.isWritable(stream);
    }

    @Override
    public void read() {
        wanted = true;
        deliver();
    }

    @Override
    public void write(Object msg) {
        send(msg, false);
    }

    @Override
    public void writeAndFlush(Object msg) {
        send(msg, true);
    }

    private void send(Object msg, boolean flush) {
        lastActivity = System.nanoTime();
        if (closed || localEnded) {
            ReferenceCountUtil.release(msg);
            return;
        }
        localEnded = StreamResponses.write(streams, stream.id(), msg);
        if (localEnded) {
            streams.limit().release(this);
        }
        if (flush) {
            streams.flushNow();
        }
    }

    @Override
    public void flush() {
        streams.flushNow();
    }

    @Override
    public void writeAndClose(Object msg) {
        writeAndFlush(msg);
        close();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (!localEnded || !remoteEnded()) {
            streams.reset(stream);
        }
    }

    private boolean remoteEnded() {
        Http2Stream.State state = stream.state();
        return state == Http2Stream.State.HALF_CLOSED_REMOTE || state == Http2Stream.State.CLOSED;
    }

    // ---- ClientFraming: one stream, no head deadline, no upgrade

    @Override
    public boolean endHold() {
        return false;
    }

    @Override
    public boolean headOverdue() {
        return false;
    }

    @Override
    public long headStartedNanos() {
        return System.nanoTime();
    }

    @Override
    public void answeringHead(boolean head) {
        // HTTP/2 frames a body by its DATA frames: a HEAD answer needs nothing special
    }

    @Override
    public void watchForClose() {
        // a reset or the connection's loss closes the stream; nothing to read for it
    }

    @Override
    public boolean isStream() {
        return true;
    }
}
