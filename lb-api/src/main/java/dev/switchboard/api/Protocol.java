package dev.switchboard.api;

import java.util.Locale;

/** The protocol a virtual service listens for. */
public enum Protocol {
    /** Plain HTTP/1.1: layer 7, content rules and header rules apply. */
    HTTP,
    /** HTTPS terminated by the host: layer 7, content rules and header rules apply. */
    HTTPS,
    /** Layer 4: a connection is dispatched as a whole; TLS, if any, passes through. */
    TCP;

    /** The configuration name: {@code http}, {@code https} or {@code tcp}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether requests (not only connections) are dispatched. */
    public boolean isLayer7() {
        return this != TCP;
    }
}
