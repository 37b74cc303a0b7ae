package dev.switchboard.tls.internal.hello;

import java.util.List;

/**
 * Makes the caller's values out of what a parse found, so that this package takes bytes in and hands values out
 * without knowing the API's types: {@code dev.switchboard.tls.TlsHellos} passes one that builds
 * {@code HelloResult}s, a test may pass another. Each parse calls exactly one method, once, and returns what it
 * returned. Implementations must be stateless (thread-safe) and must not throw.
 *
 * @param <R> the caller's result type
 */
public interface HelloResults<R> {

    /** The bytes end before the hello does; {@code atLeast} (from the offset given) is more than was given. */
    R needMoreBytes(int atLeast);

    /** The bytes do not start with a TLS handshake record; {@code reason} says what was seen instead. */
    R notTls(String reason);

    /** The bytes claim to be a TLS hello but break its grammar; {@code reason} says what and where. */
    R malformed(String reason);

    /** A parsed ClientHello; the lists are fresh and owned by the callee, GREASE values left out. */
    R clientHello(int legacyVersion, String sessionId, String serverName, List<String> applicationProtocols,
            List<Integer> supportedVersions, int length);

    /** A parsed ServerHello or HelloRetryRequest. */
    R serverHello(int legacyVersion, String sessionId, int cipherSuite, int selectedVersion,
            String applicationProtocol, boolean helloRetryRequest, int length);
}
