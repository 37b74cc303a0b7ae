package dev.switchboard.engine.auth;

import dev.switchboard.api.spi.Credentials;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/**
 * An {@code Authorization} header read as HTTP Basic credentials (RFC 7617): absent (no header, or another scheme
 * such as {@code Bearer}), malformed (a 400 with the reason), or credentials. The user and password are decoded as
 * UTF-8, else as ISO-8859-1 (what older clients send); a user name with a control character, an empty user name,
 * bad base64, no colon and a header longer than {@value #MAX_HEADER_LENGTH} characters are malformed.
 *
 * <pre>{@code
 * BasicAuthorization a = BasicAuthorization.parse(request.header("authorization"), "192.0.2.7");
 * if (a instanceof BasicAuthorization.Malformed m) answer(400, m.reason());
 * }</pre>
 *
 * <p>Immutable, stateless. The reasons never quote the header (it holds a password).
 */
public sealed interface BasicAuthorization {

    /** The longest {@code Authorization} value read (a 100 KB one is malformed without decoding). */
    int MAX_HEADER_LENGTH = 4_096;
    /** The longest user name accepted. */
    int MAX_USER_LENGTH = 256;

    /** No Basic credentials: no header, or another scheme. */
    record Absent() implements BasicAuthorization {
    }

    /** A Basic header that cannot be read: answer 400 with {@code reason}. */
    record Malformed(String reason) implements BasicAuthorization {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Readable Basic credentials. */
    record Present(Credentials credentials) implements BasicAuthorization {
        public Present {
            Objects.requireNonNull(credentials, "credentials");
        }
    }

    /**
     * Reads {@code header} (the {@code Authorization} value, or null when the request has none) from a client at
     * {@code clientAddress}. Never throws for bad input.
     */
    static BasicAuthorization parse(String header, String clientAddress) {
        Objects.requireNonNull(clientAddress, "clientAddress");
        if (header == null) {
            return new Absent();
        }
        if (header.length() > MAX_HEADER_LENGTH) {
            return new Malformed("Authorization: longer than " + MAX_HEADER_LENGTH + " characters");
        }
        String h = header.strip();
        if (h.length() < 6 || !h.regionMatches(true, 0, "Basic", 0, 5) || h.charAt(5) != ' ') {
            return h.regionMatches(true, 0, "Basic", 0, 5) && h.length() == 5
                    ? new Malformed("Authorization: Basic without credentials") : new Absent();
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(h.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return new Malformed("Authorization: the Basic credentials are not valid base64");
        }
        String text = decode(raw);
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new Malformed("Authorization: the Basic credentials have no colon between user and password");
        }
        String user = text.substring(0, colon);
        if (user.isEmpty()) {
            return new Malformed("Authorization: the Basic credentials have an empty user name");
        }
        if (user.length() > MAX_USER_LENGTH) {
            return new Malformed("Authorization: the user name is longer than " + MAX_USER_LENGTH + " characters");
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c < ' ' || c == 0x7f) {
                return new Malformed("Authorization: the user name has a control character");
            }
        }
        return new Present(Credentials.of(user, text.substring(colon + 1), clientAddress));
    }

    private static String decode(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }
    }
}
