package dev.switchboard.netty.settings;

import java.util.Locale;

/** How the gateway treats a request that carries {@code Expect: 100-continue}. */
public enum ExpectContinue {
    /**
     * The default: forward the request head at once, relay the real server's {@code 100 Continue} as soon as it
     * arrives, and accept a body that the client sends without waiting for it (RFC 7231 section 5.1.1).
     */
    RFC7231,
    /** Answer {@code 100 Continue} from the gateway before forwarding (the older RFC 2616 reading). */
    RFC2616,
    /** Drop the {@code Expect} header and stream the body at once. */
    IGNORE;

    /** The configuration name: {@code rfc7231}, {@code rfc2616} or {@code ignore}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
