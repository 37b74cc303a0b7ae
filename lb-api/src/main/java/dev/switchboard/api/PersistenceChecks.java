package dev.switchboard.api;

/** Validation of a {@link Persistence}, kept apart so the value class stays small. */
final class PersistenceChecks {

    private PersistenceChecks() {
    }

    static void validate(Persistence p, String path, Protocol protocol, Problems problems) {
        PersistenceMode mode = p.mode();
        PersistenceMode fallback = p.fallback();
        if (protocol == Protocol.TCP && (mode.needsHttp() || fallback.needsHttp())) {
            problems.add(path + ".mode", (mode.needsHttp() ? mode : fallback).configName()
                    + " on a tcp virtual service (expected: source-ip or ssl-session-id)");
        }
        if (fallback == mode) {
            problems.add(path + ".fallback", fallback.configName() + " (expected: a mode other than the first)");
        } else if (fallback == PersistenceMode.ACTIVE_COOKIE || fallback == PersistenceMode.SERVER_COOKIE) {
            problems.add(path + ".fallback", fallback.configName()
                    + " (expected: a mode that needs no response, e.g. source-ip)");
        }
        if (p.timeout().isNegative() || p.timeout().isZero()) {
            problems.add(path + ".timeout", p.timeout() + " (expected: more than zero)");
        }
        if (p.sourceIpMask() < 0 || p.sourceIpMask() > 32) {
            problems.add(path + ".sourceIpMask", p.sourceIpMask() + " (expected: 0..32)");
        }
        if (p.sourceIpMaskV6() < 0 || p.sourceIpMaskV6() > 128) {
            problems.add(path + ".sourceIpMaskV6", p.sourceIpMaskV6() + " (expected: 0..128)");
        }
        if (p.maxEntries() < 1) {
            problems.add(path + ".maxEntries", p.maxEntries() + " (expected: 1 or more)");
        }
        boolean cookie = mode == PersistenceMode.ACTIVE_COOKIE || mode == PersistenceMode.SERVER_COOKIE;
        if (cookie && !Tokens.isToken(p.cookieName())) {
            problems.add(path + ".cookieName", "'" + p.cookieName() + "' (expected: a cookie name)");
        }
        if (mode == PersistenceMode.ACTIVE_COOKIE) {
            validateActiveCookie(p, path, problems);
        }
        if (uses(p, PersistenceMode.HEADER) && !Tokens.isToken(p.header())) {
            problems.add(path + ".header", "'" + p.header() + "' (expected: a header name for mode header)");
        }
        if (uses(p, PersistenceMode.QUERY_PARAM) && p.param().isEmpty()) {
            problems.add(path + ".param", "empty (expected: a query parameter name for mode query-param)");
        }
    }

    private static boolean uses(Persistence p, PersistenceMode mode) {
        return p.mode() == mode || p.fallback() == mode;
    }

    private static void validateActiveCookie(Persistence p, String path, Problems problems) {
        String sameSite = p.cookieSameSite();
        if (!sameSite.isEmpty() && !sameSite.equals("Strict") && !sameSite.equals("Lax") && !sameSite.equals("None")) {
            problems.add(path + ".cookieSameSite", "'" + sameSite + "' (expected: Strict, Lax, None or empty)");
        }
        if (!p.cookiePath().startsWith("/") || !Tokens.isFieldValue(p.cookiePath()) || p.cookiePath().indexOf(';') >= 0) {
            problems.add(path + ".cookiePath", "'" + p.cookiePath() + "' (expected: a path starting with /, no ;)");
        }
        if (!p.cookieSecret().isEmpty() && p.cookieSecret().length() < 16) {
            problems.add(path + ".cookieSecret", "too short: " + p.cookieSecret().length()
                    + " characters (expected: at least 16, or empty to generate one)");
        }
    }
}
