package dev.switchboard.tls;

import java.util.List;
import java.util.Objects;

/**
 * What the first bytes of a TLS connection say: not enough bytes yet, not TLS, malformed, or the parsed hello.
 * Returned by {@link TlsHellos}; a value, never null. Immutable and thread-safe.
 *
 * <pre>{@code
 * HelloResult r = TlsHellos.parseClientHello(bytes, 0, n);
 * if (r instanceof HelloResult.ClientHello hello) {
 *     connection = new TcpConnection(client, port, hello.serverName(), hello.sessionId());
 * } else if (r instanceof HelloResult.NeedMoreBytes more) {
 *     // read on until n >= more.atLeast(), then parse again from the start
 * }
 * }</pre>
 */
public sealed interface HelloResult {

    /**
     * The bytes end before the hello does.
     *
     * @param atLeast how many bytes (from the offset given) the parser needs at the least; always more than given
     */
    record NeedMoreBytes(int atLeast) implements HelloResult {
    }

    /**
     * The connection does not start with a TLS handshake record (plain HTTP, SSLv2-compatible hello, another
     * protocol): pass it on or close it, but do not look for SNI.
     *
     * @param reason what was seen instead, e.g. {@code first byte 0x47 is not a TLS handshake record (0x16)}
     */
    record NotTls(String reason) implements HelloResult {
        public NotTls {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The bytes claim to be a TLS hello but break its grammar (a length that runs past its container, a duplicate
     * SNI, a session ID longer than 32 bytes...).
     *
     * @param reason what is wrong and where, e.g. {@code extension 0x0000 (server_name): length 9 runs past the
     *        extensions}
     */
    record Malformed(String reason) implements HelloResult {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A parsed ClientHello. GREASE values (RFC 8701) are left out of every list.
     *
     * @param legacyVersion the hello's version field, {@code 0x0303} for TLS 1.2 and 1.3
     * @param sessionId the legacy session ID, lower-case hex, {@code ""} when empty
     * @param serverName the SNI host name, lower case, {@code ""} when absent
     * @param applicationProtocols the ALPN protocols offered, in the client's order
     * @param supportedVersions the supported_versions extension ({@code 0x0304} = TLS 1.3), empty when absent
     * @param length how many bytes (records included) the hello took
     */
    record ClientHello(int legacyVersion, String sessionId, String serverName, List<String> applicationProtocols,
            List<Integer> supportedVersions, int length) implements HelloResult {
        public ClientHello {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(serverName, "serverName");
            applicationProtocols = List.copyOf(applicationProtocols);
            supportedVersions = List.copyOf(supportedVersions);
        }

        /** The highest version offered: the top of supported_versions, else the legacy version. */
        public int highestVersion() {
            int max = legacyVersion;
            for (int v : supportedVersions) {
                max = Math.max(max, v);
            }
            return max;
        }
    }

    /**
     * A parsed ServerHello (or HelloRetryRequest, which shares its format).
     *
     * @param legacyVersion the version field ({@code 0x0303} under TLS 1.3)
     * @param sessionId the session ID the server chose (TLS 1.2) or echoed (TLS 1.3), lower-case hex
     * @param cipherSuite the chosen cipher suite
     * @param selectedVersion the negotiated version: supported_versions when present, else the legacy version
     * @param applicationProtocol the ALPN protocol when visible (TLS 1.2 only; TLS 1.3 encrypts it), else {@code ""}
     * @param helloRetryRequest whether this is a TLS 1.3 HelloRetryRequest
     * @param length how many bytes (records included) the hello took
     */
    record ServerHello(int legacyVersion, String sessionId, int cipherSuite, int selectedVersion,
            String applicationProtocol, boolean helloRetryRequest, int length) implements HelloResult {
        public ServerHello {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(applicationProtocol, "applicationProtocol");
        }

        /**
         * The session ID a client that resumes this session sends again, for {@code ssl-session-id} persistence to
         * learn: the one the server chose under TLS 1.2 and earlier; {@code ""} under TLS 1.3 (the server only
         * echoes the client's legacy ID) and for a HelloRetryRequest.
         */
        public String resumableSessionId() {
            return helloRetryRequest || selectedVersion >= TLS_1_3 ? "" : sessionId;
        }
    }

    /** The version number of TLS 1.3. */
    int TLS_1_3 = 0x0304;
}
