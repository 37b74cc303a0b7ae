package dev.switchboard.engine.auth;

/**
 * Where the login page may send a user back to ({@code next}): a path on the same site only, so that the login
 * page is no open redirect. Accepted: a path-absolute reference ({@code /owa/?ae=Item}) of printable ASCII; refused:
 * anything with a scheme ({@code https://evil}), a network-path reference ({@code //evil}), a backslash anywhere
 * ({@code /\evil}, which browsers read as {@code //evil}), an encoded slash or backslash right after the first
 * slash ({@code /%2F%2Fevil}), control characters and spaces, and more than {@value #MAX_LENGTH} characters.
 * Stateless.
 *
 * <pre>{@code
 * String to = NextUrl.orRoot(form.get("next"));   // "/" when it points elsewhere
 * }</pre>
 */
public final class NextUrl {

    /** The longest {@code next} accepted. */
    public static final int MAX_LENGTH = 2_048;

    private NextUrl() {
    }

    /** Whether {@code next} is a safe same-site path. */
    public static boolean isSafe(String next) {
        if (next.isEmpty() || next.length() > MAX_LENGTH || next.charAt(0) != '/') {
            return false;
        }
        if (next.length() > 1 && (next.charAt(1) == '/' || next.charAt(1) == '\\')) {
            return false;
        }
        for (int i = 0; i < next.length(); i++) {
            char c = next.charAt(i);
            if (c <= ' ' || c >= 0x7f || c == '\\') {
                return false;
            }
        }
        String second = next.length() >= 4 ? next.substring(1, 4) : "";
        return !second.equalsIgnoreCase("%2f") && !second.equalsIgnoreCase("%5c");
    }

    /** {@code next} when it is safe, else {@code /}. */
    public static String orRoot(String next) {
        return next != null && isSafe(next) ? next : "/";
    }
}
