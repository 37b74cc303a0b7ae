package dev.switchboard.netty.settings;

import java.time.Duration;
import java.util.Objects;

/**
 * The defences of an HTTP/2 connection from a client (ALPN {@code h2}, or h2c with prior knowledge). Every limit is
 * answered with a stream reset or a GOAWAY, never with memory that grows: a connection holds at most
 * {@code maxConcurrentStreams × initialWindowSize} of request body (the window of a stream is given back only as
 * the real server takes its bytes) plus one header block of {@code maxHeaderListSize}.
 *
 * <pre>{@code
 * Http2Limits limits = Http2Limits.DEFAULTS.withMaxConcurrentStreams(50);
 * ListenerSettings.builder("api", listen, Protocol.HTTPS).tls(tls).http2Limits(limits).build();
 * }</pre>
 *
 * <p>Immutable; thread-safe.
 *
 * @param maxConcurrentStreams   SETTINGS_MAX_CONCURRENT_STREAMS: streams a client may have open at once; one more is
 *                               refused with RST_STREAM(REFUSED_STREAM)
 * @param maxHeaderListSize      SETTINGS_MAX_HEADER_LIST_SIZE: the decoded size of a request's header list (names,
 *                               values and 32 bytes each, as RFC 9113 counts); above it the stream is answered 431,
 *                               far above it (an HPACK bomb, a CONTINUATION flood) the connection gets a GOAWAY
 * @param maxFrameSize           SETTINGS_MAX_FRAME_SIZE: the largest frame payload a client may send (16384..16777215)
 * @param initialWindowSize      SETTINGS_INITIAL_WINDOW_SIZE: request body bytes a stream may have in flight before
 *                               the real server took them (back-pressure); 1..2^31-1
 * @param maxResets              stream resets a client may send within {@code resetWindow} (the rapid-reset flood,
 *                               CVE-2023-44487): one more and the connection gets a GOAWAY (ENHANCE_YOUR_CALM)
 * @param resetWindow            the window {@code maxResets} counts in (whole seconds, at least 1 s)
 * @param maxControlFrames       PING and SETTINGS frames a client may send within {@code controlFrameWindow}; one
 *                               more and the connection gets a GOAWAY (ENHANCE_YOUR_CALM)
 * @param controlFrameWindow     the window {@code maxControlFrames} counts in (at least 1 ms)
 * @param maxQueuedControlFrames answers to control frames (PING and SETTINGS acks, resets) queued for a client that
 *                               does not read them; one more and the connection is closed
 */
public record Http2Limits(int maxConcurrentStreams, int maxHeaderListSize, int maxFrameSize, int initialWindowSize,
                          int maxResets, Duration resetWindow, int maxControlFrames, Duration controlFrameWindow,
                          int maxQueuedControlFrames) {

    /** The smallest SETTINGS_MAX_FRAME_SIZE HTTP/2 allows (and its default). */
    public static final int MIN_FRAME_SIZE = 16_384;
    /** The largest SETTINGS_MAX_FRAME_SIZE HTTP/2 allows. */
    public static final int MAX_FRAME_SIZE = 16_777_215;

    /**
     * 100 streams, 16 KiB header lists, 16 KiB frames, 64 KiB stream windows (at most 6.25 MiB of request body
     * per connection), 200 resets per 30 s (Netty's own default), 1,000 PING/SETTINGS frames per 10 s, 10,000
     * queued control answers.
     */
    public static final Http2Limits DEFAULTS = new Http2Limits(100, 16_384, MIN_FRAME_SIZE, 65_536, 200,
            Duration.ofSeconds(30), 1_000, Duration.ofSeconds(10), 10_000);

    /**
     * Checks every field.
     *
     * @throws IllegalArgumentException naming the field and the value out of range
     */
    public Http2Limits {
        Objects.requireNonNull(resetWindow, "resetWindow");
        Objects.requireNonNull(controlFrameWindow, "controlFrameWindow");
        positive("maxConcurrentStreams", maxConcurrentStreams);
        if (maxHeaderListSize < 256) {
            throw new IllegalArgumentException("maxHeaderListSize: " + maxHeaderListSize + " (expected: >= 256)");
        }
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("maxFrameSize: " + maxFrameSize + " (expected: " + MIN_FRAME_SIZE
                    + ".." + MAX_FRAME_SIZE + ")");
        }
        positive("initialWindowSize", initialWindowSize);
        positive("maxResets", maxResets);
        if (resetWindow.compareTo(Duration.ofSeconds(1)) < 0 || resetWindow.getSeconds() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("resetWindow: " + resetWindow + " (expected: at least 1s)");
        }
        positive("maxControlFrames", maxControlFrames);
        if (controlFrameWindow.toMillis() < 1) {
            throw new IllegalArgumentException("controlFrameWindow: " + controlFrameWindow
                    + " (expected: at least 1ms)");
        }
        positive("maxQueuedControlFrames", maxQueuedControlFrames);
    }

    private static void positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
        }
    }

    /** These limits with {@code maxConcurrentStreams} instead. */
    public Http2Limits withMaxConcurrentStreams(int streams) {
        return new Http2Limits(streams, maxHeaderListSize, maxFrameSize, initialWindowSize, maxResets, resetWindow,
                maxControlFrames, controlFrameWindow, maxQueuedControlFrames);
    }

    /** These limits with {@code initialWindowSize} instead. */
    public Http2Limits withInitialWindowSize(int bytes) {
        return new Http2Limits(maxConcurrentStreams, maxHeaderListSize, maxFrameSize, bytes, maxResets, resetWindow,
                maxControlFrames, controlFrameWindow, maxQueuedControlFrames);
    }

    /** These limits with {@code maxResets} per {@code window} instead. */
    public Http2Limits withMaxResets(int resets, Duration window) {
        return new Http2Limits(maxConcurrentStreams, maxHeaderListSize, maxFrameSize, initialWindowSize, resets,
                window, maxControlFrames, controlFrameWindow, maxQueuedControlFrames);
    }

    /** These limits with {@code maxControlFrames} per {@code window} instead. */
    public Http2Limits withMaxControlFrames(int frames, Duration window) {
        return new Http2Limits(maxConcurrentStreams, maxHeaderListSize, maxFrameSize, initialWindowSize, maxResets,
                resetWindow, frames, window, maxQueuedControlFrames);
    }
}
