package dev.switchboard.engine.internal.routing;

import java.util.Objects;

/**
 * A request part (path, host) that cannot be routed safely; the host answers it with {@code 400 Bad Request}.
 *
 * <p>Thrown on the request path for hostile or broken input, so it is cheap: it records no stack trace and
 * no suppressed exceptions. The message names the field, the reason and the offending value, made safe to
 * log: at most 64 characters of the value are shown, control characters are escaped
 * as {@code \xNN}, non-ASCII characters as {@code \}{@code uNNNN}, and {@code "} and {@code \} are
 * escaped with a backslash. {@link #value()} still returns the value unchanged.
 *
 * <pre>{@code
 * new BadRequestException("path", "encoded slash is not allowed", "/a%2Fb").getMessage()
 * // path: encoded slash is not allowed (got "/a%2Fb")
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** How many characters of the value the message shows at most. */
    static final int MAX_SHOWN_CHARS = 64;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String field;
    private final String reason;
    private final String value;

    /**
     * @param field  the request part, e.g. {@code "path"} or {@code "host"}
     * @param reason what is wrong, e.g. {@code "encoded slash is not allowed"}
     * @param value  the value as received
     * @throws NullPointerException if an argument is null
     */
    public BadRequestException(String field, String reason, String value) {
        super(message(field, reason, value), null, false, false);
        this.field = field;
        this.reason = reason;
        this.value = value;
    }

    /** The request part that was rejected, e.g. {@code "path"} or {@code "host"}. */
    public String field() {
        return field;
    }

    /** Why it was rejected, without the value. */
    public String reason() {
        return reason;
    }

    /** The rejected value exactly as received (not escaped, not truncated): do not log it as is. */
    public String value() {
        return value;
    }

    /** Records nothing: this exception is control flow for bad input, its stack trace has no use. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    private static String message(String field, String reason, String value) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(value, "value");
        StringBuilder sb = new StringBuilder(field.length() + reason.length() + MAX_SHOWN_CHARS + 32);
        sb.append(field).append(": ").append(reason).append(" (got \"");
        int shown = Math.min(value.length(), MAX_SHOWN_CHARS);
        for (int i = 0; i < shown; i++) {
            appendEscaped(sb, value.charAt(i));
        }
        sb.append('"');
        if (shown < value.length()) {
            sb.append("... [").append(value.length()).append(" chars]");
        }
        return sb.append(')').toString();
    }

    private static void appendEscaped(StringBuilder sb, char c) {
        if (c < 0x20 || c == 0x7F) {
            sb.append("\\x").append(HEX[c >> 4]).append(HEX[c & 0xF]);
        } else if (c > 0x7F) {
            sb.append("\\u")
                    .append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF])
                    .append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
        } else if (c == '"' || c == '\\') {
            sb.append('\\').append(c);
        } else {
            sb.append(c);
        }
    }
}
