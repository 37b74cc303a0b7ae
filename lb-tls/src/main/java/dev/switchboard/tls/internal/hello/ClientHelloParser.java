package dev.switchboard.tls.internal.hello;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of a ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2): version, random, session ID, cipher suites,
 * compression methods, extensions; of the extensions it reads server_name (RFC 6066), ALPN (RFC 7301) and
 * supported_versions, each at most once. Stateless.
 */
final class ClientHelloParser {

    static final int SERVER_NAME = 0;
    static final int ALPN = 16;
    static final int SUPPORTED_VERSIONS = 43;

    private ClientHelloParser() {
    }

    /** Mutable results of one parse. */
    private static final class Found {
        String serverName = "";
        List<String> alpn = List.of();
        List<Integer> versions = List.of();
        boolean sawServerName;
        boolean sawAlpn;
        boolean sawVersions;
    }

    static <R> R parse(HelloReader r, int consumed, HelloResults<R> results) {
        int version = r.u16();
        if (version < 0 || !r.skip(32)) {
            return malformed(results, "truncated before the end of the random");
        }
        if ((version >>> 8) != 3) {
            return malformed(results, "client version 0x" + Integer.toHexString(version) + " is not TLS");
        }
        String sessionId = r.sessionId();
        if (sessionId == null) {
            return malformed(results, r.problem());
        }
        int suitesLength = r.u16();
        if (suitesLength < 2 || suitesLength % 2 != 0 || !r.skip(suitesLength)) {
            return malformed(results, "cipher suites length " + suitesLength
                    + " (expected: even, at least 2, within the hello)");
        }
        int compressionLength = r.u8();
        if (compressionLength < 1 || !r.skip(compressionLength)) {
            return malformed(results, "compression methods length " + compressionLength
                    + " (expected: at least 1, within the hello)");
        }
        Found found = new Found();
        if (r.remaining() > 0) {
            String problem = extensions(r, found);
            if (problem != null) {
                return malformed(results, problem);
            }
        }
        return results.clientHello(version, sessionId, found.serverName, found.alpn, found.versions, consumed);
    }

    /** Reads the extensions block, which must fill the rest of the hello exactly; a problem or null. */
    private static String extensions(HelloReader r, Found found) {
        int total = r.u16();
        if (total < 0 || total != r.remaining()) {
            return "extensions length " + total + " does not match the " + r.remaining() + " bytes left";
        }
        while (r.remaining() > 0) {
            int type = r.u16();
            int length = r.u16();
            HelloReader data = length < 0 ? null : r.slice(length);
            if (type < 0 || data == null) {
                return "extension 0x" + hex4(Math.max(type, 0)) + ": length " + length + " runs past the extensions";
            }
            String problem = extension(type, data, found);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    private static String extension(int type, HelloReader data, Found found) {
        switch (type) {
            case SERVER_NAME:
                if (found.sawServerName) {
                    return "server_name appears twice";
                }
                found.sawServerName = true;
                return serverName(data, found);
            case ALPN:
                if (found.sawAlpn) {
                    return "application_layer_protocol_negotiation appears twice";
                }
                found.sawAlpn = true;
                return alpn(data, found);
            case SUPPORTED_VERSIONS:
                if (found.sawVersions) {
                    return "supported_versions appears twice";
                }
                found.sawVersions = true;
                return versions(data, found);
            default:
                return null;
        }
    }

    private static String serverName(HelloReader data, Found found) {
        int listLength = data.u16();
        if (listLength < 1 || listLength != data.remaining()) {
            return "server_name list length " + listLength + " (expected: the " + Math.max(0, data.remaining())
                    + " bytes of the extension, at least 1)";
        }
        while (data.remaining() > 0) {
            int nameType = data.u8();
            int nameLength = data.u16();
            HelloReader name = nameLength < 0 ? null : data.slice(nameLength);
            if (name == null) {
                return "server_name entry runs past the extension";
            }
            if (nameType != 0) {
                continue;   // unknown name types are skipped (RFC 6066 allows only host_name today)
            }
            if (!found.serverName.isEmpty()) {
                return "server_name carries two host names";
            }
            String problem = hostName(name);
            if (problem != null) {
                return problem;
            }
            found.serverName = lowerAscii(name);
        }
        return null;
    }

    /** RFC 6066: ASCII, no trailing dot; here also: letters, digits, '-', '_', '.', 1..255 bytes. */
    private static String hostName(HelloReader name) {
        int n = name.remaining();
        if (n < 1 || n > 255) {
            return "SNI host name length " + n + " (expected: 1..255)";
        }
        byte[] b = name.buffer();
        for (int i = name.position(); i < name.limit(); i++) {
            int c = b[i] & 0xff;
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-'
                    || c == '_' || c == '.';
            if (!ok) {
                return "SNI host name contains byte 0x" + HelloParser.hex2(c);
            }
        }
        if (b[name.limit() - 1] == '.' || b[name.position()] == '.') {
            return "SNI host name starts or ends with a dot";
        }
        return null;
    }

    private static String alpn(HelloReader data, Found found) {
        int listLength = data.u16();
        if (listLength < 2 || listLength != data.remaining()) {
            return "ALPN list length " + listLength + " (expected: the " + Math.max(0, data.remaining())
                    + " bytes of the extension, at least 2)";
        }
        List<String> protocols = new ArrayList<>();
        while (data.remaining() > 0) {
            int n = data.u8();
            int start = data.position();
            if (n < 1 || !data.skip(n)) {
                return "ALPN protocol name length " + n + " (expected: 1.., within the list)";
            }
            byte[] b = data.buffer();
            boolean grease = n == 2 && b[start] == b[start + 1] && (b[start] & 0x0f) == 0x0a;
            if (!grease) {
                protocols.add(new String(b, start, n, StandardCharsets.ISO_8859_1));
            }
        }
        found.alpn = protocols;
        return null;
    }

    private static String versions(HelloReader data, Found found) {
        int listLength = data.u8();
        if (listLength < 2 || listLength % 2 != 0 || listLength != data.remaining()) {
            return "supported_versions length " + listLength + " (expected: even, at least 2, the "
                    + Math.max(0, data.remaining()) + " bytes of the extension)";
        }
        List<Integer> versions = new ArrayList<>();
        while (data.remaining() > 0) {
            int v = data.u16();
            if (!isGrease(v)) {
                versions.add(v);
            }
        }
        found.versions = versions;
        return null;
    }

    /** RFC 8701: 0x0a0a, 0x1a1a, ... 0xfafa. */
    static boolean isGrease(int value) {
        return (value & 0x0f0f) == 0x0a0a && (value >>> 8) == (value & 0xff);
    }

    private static String lowerAscii(HelloReader name) {
        char[] out = new char[name.remaining()];
        byte[] b = name.buffer();
        for (int i = 0; i < out.length; i++) {
            int c = b[name.position() + i];
            out[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return new String(out);
    }

    static String hex4(int v) {
        return HelloParser.hex2(v >>> 8 & 0xff) + HelloParser.hex2(v & 0xff);
    }

    private static <R> R malformed(HelloResults<R> results, String reason) {
        return results.malformed("ClientHello: " + reason);
    }
}
