package dev.switchboard.api;

/**
 * Makes a virtual service a redirector: every request is answered with {@code status} and a {@code Location}
 * built from the request with the given scheme, host and port (an empty host keeps the request's host, port 0
 * keeps the scheme's default). Path and query are kept.
 *
 * <pre>{@code Redirect.toScheme("https")   // http://h/x?y -> 301 https://h/x?y}</pre>
 *
 * @param scheme {@code http} or {@code https}
 * @param host a host name, or empty to keep the request's
 * @param port 1..65535, or 0 for the scheme's default
 * @param status 301, 302, 303, 307 or 308
 */
public record Redirect(String scheme, String host, int port, int status) {

    public Redirect {
        java.util.Objects.requireNonNull(scheme, "scheme");
        java.util.Objects.requireNonNull(host, "host");
    }

    /** A 301 to the same host and path with another scheme. */
    public static Redirect toScheme(String scheme) {
        return new Redirect(scheme, "", 0, 301);
    }

    void validate(String path, Problems problems) {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problems.add(path + ".scheme", "'" + scheme + "' (expected: http or https)");
        }
        if (port < 0 || port > 65535) {
            problems.add(path + ".port", port + " (expected: 1..65535, or 0 for the scheme's default)");
        }
        if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308) {
            problems.add(path + ".status", status + " (expected: 301, 302, 303, 307 or 308)");
        }
        if (!host.isEmpty() && !host.matches("[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]")) {
            problems.add(path + ".host", "'" + host + "' (expected: a host name or IP literal)");
        }
    }
}
