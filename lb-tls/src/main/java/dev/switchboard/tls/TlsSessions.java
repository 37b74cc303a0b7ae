package dev.switchboard.tls;

import java.util.HexFormat;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * The session ID of a terminated connection, as lower-case hex, for SSL session-ID persistence
 * ({@code HttpRequest.builder().tls(serverName, TlsSessions.sessionId(engine))}).
 *
 * <pre>{@code
 * String id = TlsSessions.sessionId(engine);   // "9f1c...", or "" before the handshake or without an ID
 * }</pre>
 *
 * <p>Only TLS 1.2 gives a resumed session the ID of the session it resumes; under TLS 1.3 the session ID is a
 * compatibility field that clients fill at random, so session-ID persistence needs TLS 1.2 (as on every load
 * balancer). Stateless and thread-safe; never throws for a null-free argument.
 */
public final class TlsSessions {

    /** Lower case; the same encoder as the ClientHello reader's, so a sniffed ID and a terminated one agree. */
    private static final HexFormat HEX = HexFormat.of();

    private TlsSessions() {
    }

    /** The session ID of {@code engine}'s current session, {@code ""} before the handshake completed. */
    public static String sessionId(SSLEngine engine) {
        return sessionId(engine.getSession());
    }

    /** The session ID of {@code session} in lower-case hex, {@code ""} when it has none. */
    public static String sessionId(SSLSession session) {
        byte[] id = session.getId();
        return id == null ? "" : hex(id, 0, id.length);
    }

    /** {@code length} bytes from {@code offset} as lower-case hex. */
    public static String hex(byte[] bytes, int offset, int length) {
        return HEX.formatHex(bytes, offset, offset + length);
    }
}
