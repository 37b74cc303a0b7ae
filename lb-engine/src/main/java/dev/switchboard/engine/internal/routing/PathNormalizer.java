package dev.switchboard.engine.internal.routing;

import java.util.Objects;

/**
 * Normalizes the path of a request target before content switching matches it, so that {@code /owa/../ecp}
 * cannot slip past a rule written for {@code /ecp} (design, "The way of one HTTP request", step 2).
 *
 * <p>The rules, in short:
 * <ul>
 *   <li>an empty path becomes {@code /}; {@code *} (for {@code OPTIONS *}) is returned as is; any other path
 *       must start with {@code /};</li>
 *   <li>rejected: more than {@code maxLength} raw characters; control characters, space, non-ASCII,
 *       {@code #} and {@code \}; a {@code %} not followed by two hex digits; an encoded {@code /}, {@code \}
 *       or control character ({@code %2F}, {@code %5C}, {@code %00}, ...); a {@code ..} that climbs above
 *       the root (it is not clamped);</li>
 *   <li>escapes of unreserved characters (RFC 3986: letters, digits, {@code - . _ ~}) are decoded, all other
 *       escapes stay encoded with upper-case hex digits ({@code %c3%a9} becomes {@code %C3%A9});</li>
 *   <li>duplicate slashes are merged, {@code .} and {@code ..} segments removed (a trailing {@code /.} or
 *       {@code /..} leaves a trailing slash), a trailing slash and the case of letters are kept.</li>
 * </ul>
 *
 * <p>A path that needs no change is returned as the same instance, after one pass over its characters and
 * without allocating; otherwise one more pass builds the result in a {@code char[]}.
 *
 * <pre>{@code
 * PathNormalizer.normalize("//owa/%2e%2e/ecp/", 8192)  // "/ecp/"
 * PathNormalizer.normalize("/owa/", 8192)              // the same instance
 * PathNormalizer.normalize("/a%2Fb", 8192)             // throws BadRequestException (field "path")
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class PathNormalizer {

    private static final String FIELD = "path";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    /** Characters that pass the fast scan unchanged: allowed raw characters other than '/' and '%'. */
    private static final boolean[] PLAIN = new boolean[128];

    static {
        for (char c = 0; c < 128; c++) {
            PLAIN[c] = isAllowedRaw(c) && c != '/' && c != '%';
        }
    }

    private PathNormalizer() {
    }

    /**
     * Normalizes {@code rawPath}, the path of a request target without its query string.
     *
     * @param rawPath   the path as received, still percent-encoded
     * @param maxLength the most raw characters accepted, at least 1
     * @return the normalized path; {@code rawPath} itself when it is already normalized
     * @throws BadRequestException      with field {@code "path"} when the path is rejected by a rule above
     * @throws IllegalArgumentException when {@code maxLength} is less than 1
     * @throws NullPointerException     when {@code rawPath} is null
     */
    public static String normalize(String rawPath, int maxLength) {
        Objects.requireNonNull(rawPath, "rawPath");
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength: " + maxLength + " (expected: > 0)");
        }
        int length = rawPath.length();
        if (length == 0) {
            return "/";
        }
        if (length > maxLength) {
            throw reject("path too long", rawPath);
        }
        char first = rawPath.charAt(0);
        if (first != '/') {
            if (length == 1 && first == '*') {
                return rawPath;
            }
            throw reject("path must start with '/'", rawPath);
        }
        int segmentSlash = 0;
        for (int i = 0; i < length; i++) {
            char c = rawPath.charAt(i);
            if (c < 128 && PLAIN[c]) {
                continue; // the common case: one table load per character
            }
            if (c == '/') {
                segmentSlash = i;
                if (isRemovableSegment(rawPath, i + 1)) {
                    return rewrite(rawPath, i);
                }
            } else if (c == '%') {
                return rewrite(rawPath, segmentSlash);
            } else if (!isAllowedRaw(c)) {
                throw rejectRaw(c, rawPath);
            }
        }
        return rawPath;
    }

    /**
     * Whether the segment starting at {@code from} (just after a slash) is empty, {@code .} or {@code ..} in
     * raw form; a slash at the very end starts no segment (a trailing slash is kept).
     */
    private static boolean isRemovableSegment(String path, int from) {
        int length = path.length();
        if (from == length) {
            return false;
        }
        char c = path.charAt(from);
        if (c == '/') {
            return true;
        }
        if (c != '.') {
            return false;
        }
        int next = from + 1;
        if (next == length || path.charAt(next) == '/') {
            return true;
        }
        if (path.charAt(next) != '.') {
            return false;
        }
        next++;
        return next == length || path.charAt(next) == '/';
    }

    /**
     * Builds the normalized path. {@code raw[0, from)} is already normalized and {@code raw[from]} is a slash.
     * The output buffer doubles as the segment stack: it always holds {@code ""} or {@code /seg(/seg)*}, so
     * {@code ..} pops a segment by moving the write position back to the previous slash.
     */
    private static String rewrite(String raw, int from) {
        int length = raw.length();
        char[] out = new char[length + 1];
        raw.getChars(0, from, out, 0);
        int o = from;
        int i = from;
        while (i < length) {
            while (i < length && raw.charAt(i) == '/') {
                i++;
            }
            if (i == length) {
                out[o++] = '/';
                break;
            }
            int slash = o;
            out[o++] = '/';
            int end = raw.indexOf('/', i);
            if (end < 0) {
                end = length;
            }
            o = copySegment(raw, i, end, out, o);
            i = end;
            int dots = dotSegment(out, slash + 1, o);
            if (dots == 0) {
                continue;
            }
            if (dots == 1) {
                o = slash;
            } else if (slash == 0) {
                throw reject("path climbs above root", raw);
            } else {
                o = previousSlash(out, slash);
            }
            if (i == length) {
                out[o++] = '/';
            }
        }
        return result(raw, out, o);
    }

    /** Copies {@code raw[start, end)}, one segment, into {@code out} at {@code o}; returns the new position. */
    private static int copySegment(String raw, int start, int end, char[] out, int o) {
        for (int i = start; i < end; i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                o = copyEscape(raw, i, out, o);
                i += 2;
            } else if (isAllowedRaw(c)) {
                out[o++] = c;
            } else {
                throw rejectRaw(c, raw);
            }
        }
        return o;
    }

    /** Decodes or re-encodes the escape at {@code raw[i]} (a '%') into {@code out}; returns the new position. */
    private static int copyEscape(String raw, int i, char[] out, int o) {
        int hi = hexAt(raw, i + 1);
        int lo = hexAt(raw, i + 2);
        if (hi < 0 || lo < 0) {
            throw reject("invalid percent escape", raw);
        }
        int decoded = hi << 4 | lo;
        if (decoded == '/') {
            throw reject("encoded slash is not allowed", raw);
        }
        if (decoded == '\\') {
            throw reject("encoded backslash is not allowed", raw);
        }
        if (decoded < 0x20 || decoded == 0x7F) {
            throw reject("encoded control character is not allowed", raw);
        }
        if (isUnreserved(decoded)) {
            out[o++] = (char) decoded;
        } else {
            out[o++] = '%';
            out[o++] = HEX[hi];
            out[o++] = HEX[lo];
        }
        return o;
    }

    /** 1 for a {@code .} segment, 2 for {@code ..}, otherwise 0; the segment is {@code out[from, to)}. */
    private static int dotSegment(char[] out, int from, int to) {
        int length = to - from;
        if (length == 1 && out[from] == '.') {
            return 1;
        }
        if (length == 2 && out[from] == '.' && out[from + 1] == '.') {
            return 2;
        }
        return 0;
    }

    /** The position of the slash before {@code out[slash]}; {@code out[0]} is always a slash. */
    private static int previousSlash(char[] out, int slash) {
        int j = slash - 1;
        while (out[j] != '/') {
            j--;
        }
        return j;
    }

    private static String result(String raw, char[] out, int o) {
        if (o == raw.length()) {
            int i = 0;
            while (i < o && out[i] == raw.charAt(i)) {
                i++;
            }
            if (i == o) {
                return raw; // e.g. escapes that were already upper-case: keep the caller's instance
            }
        }
        return new String(out, 0, o);
    }

    private static int hexAt(String s, int i) {
        if (i >= s.length()) {
            return -1;
        }
        char c = s.charAt(i);
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    }

    /** RFC 3986 unreserved: ALPHA / DIGIT / "-" / "." / "_" / "~". */
    private static boolean isUnreserved(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    /** Printable ASCII except space, {@code #} and {@code \}; {@code %} is allowed here and checked apart. */
    private static boolean isAllowedRaw(char c) {
        return c > 0x20 && c < 0x7F && c != '#' && c != '\\';
    }

    private static BadRequestException rejectRaw(char c, String raw) {
        if (c == '\\') {
            return reject("backslash is not allowed", raw);
        }
        if (c == '#') {
            return reject("fragment '#' is not allowed", raw);
        }
        if (c == ' ') {
            return reject("space is not allowed", raw);
        }
        if (c < 0x20 || c == 0x7F) {
            return reject("control character is not allowed", raw);
        }
        return reject("non-ASCII character is not allowed", raw);
    }

    private static BadRequestException reject(String reason, String raw) {
        return new BadRequestException(FIELD, reason, raw);
    }
}
