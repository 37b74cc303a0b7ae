package dev.switchboard.netty.internal.log;

import java.time.Instant;

/**
 * Writes one JSON object on one line, field by field, for the JSON access log: strings escaped as RFC 8259 asks
 * (quote, backslash, every control character; a client's bytes in a URI can never break the line or the object),
 * {@code null} for what does not apply, durations as milliseconds with microsecond precision. Not thread-safe; one
 * per line.
 *
 * <pre>{@code
 * String line = new JsonLine().string("virtualService", "mail").number("status", 200).toString();
 * }</pre>
 */
public final class JsonLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(320).append('{');

    /** A line that starts with {@code "time"}: now, as an ISO-8601 instant in UTC. */
    public static JsonLine startingNow() {
        return new JsonLine().string("time", Instant.now().toString());
    }

    /** {@code "key": "value"}, or {@code "key": null} when {@code value} is null. */
    public JsonLine string(String key, String value) {
        key(key);
        if (value == null) {
            out.append("null");
        } else {
            quote(value);
        }
        return this;
    }

    /** {@code "key": n}. */
    public JsonLine number(String key, long n) {
        key(key);
        out.append(n);
        return this;
    }

    /** {@code "key": 12.345} ({@code nanos} as milliseconds, to the microsecond), or null when {@code nanos < 0}. */
    public JsonLine millis(String key, long nanos) {
        key(key);
        if (nanos < 0) {
            out.append("null");
            return this;
        }
        long micros = nanos / 1000;
        long fraction = micros % 1000;
        out.append(micros / 1000).append('.');
        if (fraction < 100) {
            out.append(fraction < 10 ? "00" : "0");
        }
        out.append(fraction);
        return this;
    }

    private void key(String key) {
        if (out.length() > 1) {
            out.append(',');
        }
        quote(key);
        out.append(':');
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        // U+2028/2029 too: a line separator to some readers
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** The object, closed. */
    @Override
    public String toString() {
        return out + "}";
    }
}
