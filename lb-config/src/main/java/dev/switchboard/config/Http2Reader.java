package dev.switchboard.config;

import dev.switchboard.api.Protocol;
import dev.switchboard.netty.settings.Http2Limits;
import dev.switchboard.netty.settings.ListenerSettings;

import java.time.Duration;
import java.util.Set;

/**
 * Reads a virtual service's {@code http2} object: {@code cleartext} (h2c with prior knowledge, {@code http} only; an
 * https virtual service offers {@code h2} by ALPN through {@code tls.applicationProtocols}) and the limits of
 * {@link Http2Limits} under their own names ({@code maxConcurrentStreams}, {@code maxHeaderListSize},
 * {@code maxFrameSize}, {@code initialWindowSize}, {@code maxResets} per {@code resetWindow},
 * {@code maxControlFrames} per {@code controlFrameWindow}, {@code maxQueuedControlFrames}). Stateless.
 */
final class Http2Reader {

    static final Set<String> KEYS = Set.of("cleartext", "maxConcurrentStreams", "maxHeaderListSize", "maxFrameSize",
            "initialWindowSize", "maxResets", "resetWindow", "maxControlFrames", "controlFrameWindow",
            "maxQueuedControlFrames");

    private Http2Reader() {
    }

    /** Applies {@code s.http2} (when present) to {@code listener}; problems are recorded at their paths. */
    static void read(Section s, Protocol protocol, ListenerSettings.Builder listener) {
        if (!s.has("http2")) {
            return;
        }
        if (protocol == Protocol.TCP) {
            s.problem("http2", "only used with \"protocol\": \"http\" or \"https\" (tcp relays bytes as they are)");
            return;
        }
        s.findObject("http2", KEYS).ifPresent(h -> {
            boolean cleartext = h.bool("cleartext", false);
            if (cleartext && protocol == Protocol.HTTPS) {
                h.problem("cleartext", "only for \"protocol\": \"http\" (https offers h2 by ALPN: see"
                        + " tls.applicationProtocols)");
            } else {
                listener.http2Cleartext(cleartext);
            }
            limits(h, listener);
        });
    }

    private static void limits(Section h, ListenerSettings.Builder listener) {
        Http2Limits d = Http2Limits.DEFAULTS;
        int streams = h.integer("maxConcurrentStreams", d.maxConcurrentStreams(), 1, Integer.MAX_VALUE);
        int headerList = h.integer("maxHeaderListSize", d.maxHeaderListSize(), 256, Integer.MAX_VALUE);
        int frame = h.integer("maxFrameSize", d.maxFrameSize(), Http2Limits.MIN_FRAME_SIZE,
                Http2Limits.MAX_FRAME_SIZE);
        int window = h.integer("initialWindowSize", d.initialWindowSize(), 1, Integer.MAX_VALUE);
        int resets = h.integer("maxResets", d.maxResets(), 1, Integer.MAX_VALUE);
        Duration resetWindow = atLeast(h, "resetWindow", d.resetWindow(), Duration.ofSeconds(1));
        int control = h.integer("maxControlFrames", d.maxControlFrames(), 1, Integer.MAX_VALUE);
        Duration controlWindow = atLeast(h, "controlFrameWindow", d.controlFrameWindow(), Duration.ofMillis(1));
        int queued = h.integer("maxQueuedControlFrames", d.maxQueuedControlFrames(), 1, Integer.MAX_VALUE);
        listener.http2Limits(new Http2Limits(streams, headerList, frame, window, resets, resetWindow, control,
                controlWindow, queued));
    }

    private static Duration atLeast(Section h, String key, Duration orElse, Duration min) {
        Duration d = h.duration(key, orElse);
        if (d.compareTo(min) < 0) {
            h.problem(key, "expected a duration of at least " + min.toMillis() + "ms");
            return orElse;
        }
        return d;
    }
}
