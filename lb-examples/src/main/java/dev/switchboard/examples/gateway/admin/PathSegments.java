package dev.switchboard.examples.gateway.admin;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Splits a request path into percent-decoded segments; strict: a bad escape or bad UTF-8 is a 400. */
final class PathSegments {

    private PathSegments() {
    }

    /**
     * {@code /api/real-servers/ex%2D01/state} becomes {@code [api, real-servers, ex-01, state]}. The leading slash
     * is required; a trailing slash gives a last empty segment (and so no route matches it).
     */
    static List<String> decode(String rawPath) {
        if (!rawPath.startsWith("/")) {
            throw AdminError.badRequest("path: " + rawPath + " (expected: starting with /)");
        }
        List<String> out = new ArrayList<>();
        if (rawPath.length() == 1) {
            return out;
        }
        for (String raw : rawPath.substring(1).split("/", -1)) {
            out.add(decodeSegment(raw, rawPath));
        }
        return out;
    }

    /** Percent-decodes one segment as UTF-8; {@code +} stays a plus (it is a path, not a form). */
    static String decodeSegment(String raw, String wholePath) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c != '%') {
                if (c > 0xFF) { // Netty reads the request line as ISO-8859-1: one char per byte
                    throw badEscape(wholePath);
                }
                bytes.write(c);
                continue;
            }
            int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
            int lo = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw badEscape(wholePath);
            }
            bytes.write(hi << 4 | lo);
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw badEscape(wholePath);
        }
    }

    private static AdminError badEscape(String path) {
        return AdminError.badRequest("path: " + path + " (expected: valid percent-encoded UTF-8)");
    }
}
