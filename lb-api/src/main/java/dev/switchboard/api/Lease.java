package dev.switchboard.api;

import java.util.List;

/**
 * A real server's slot taken for one request or connection. The host reports the response head (for response
 * actions) and then releases the lease with the outcome; the active count of the server drops at release.
 * Releasing twice is harmless; a lease never released stays counted as active and shows in stats.
 * Thread-safe: release may be called from any thread.
 */
public interface Lease {

    /**
     * Reports the response head and returns the header changes the host must make to the response
     * (response rules, later persistence cookies), in order.
     */
    List<HeaderEdit> onResponse(ResponseView response);

    /**
     * Reports the TLS session ID (lower-case hex) the real server chose, as seen in its ServerHello when TLS passes
     * through, so that {@code ssl-session-id} persistence sends a client that resumes this session back here.
     * Does nothing for other persistence modes, an empty ID, or after release.
     */
    default void onTlsSession(String sessionId) {
    }

    /**
     * Reports that the exchange became a tunnel (the real server answered {@code 101 Switching Protocols} and bytes
     * now flow both ways): the lease stays held, and counted as the server's open tunnel in stats, until it is
     * released when the tunnel closes. Does nothing after release or on a second call.
     */
    default void onTunnel() {
    }

    /** Ends the lease; only the first call counts. */
    void release(Outcome outcome);

    /** Whether {@link #release(Outcome)} has been called. */
    boolean isReleased();
}
