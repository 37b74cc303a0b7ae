package dev.switchboard.netty.internal.http;

import dev.switchboard.netty.settings.Http2Limits;

/**
 * What an HTTP/2 client connection watches besides Netty's own limits: PING and SETTINGS frames beyond
 * {@link Http2Limits#maxControlFrames()} per {@link Http2Limits#controlFrameWindow()} (a flood that costs an answer
 * each); {@link ClientStreams} ends such a connection with GOAWAY(ENHANCE_YOUR_CALM). Not sharable: one per
 * connection, on its loop.
 */
final class Http2Guard {

    private final int maxControlFrames;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int controlFrames;
    private boolean gone;

    Http2Guard(Http2Limits limits) {
        this.maxControlFrames = limits.maxControlFrames();
        this.windowNanos = limits.controlFrameWindow().toNanos();
    }

    /** A PING or SETTINGS frame came: whether it is one too many (said once; the connection goes away). */
    boolean tooMany() {
        if (gone) {
            return false;
        }
        long now = System.nanoTime();
        if (now - windowStart >= windowNanos) {
            windowStart = now;
            controlFrames = 0;
        }
        gone = ++controlFrames > maxControlFrames;
        return gone;
    }

    int maxControlFrames() {
        return maxControlFrames;
    }

    long windowMillis() {
        return windowNanos / 1_000_000;
    }
}
