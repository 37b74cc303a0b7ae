package dev.switchboard.engine;

/**
 * The pre-authentication counters of one virtual service since the start (they survive reconfigurations that keep
 * its name).
 *
 * @param challenges requests answered with a challenge (401 Basic, redirect to the login page); counted in the
 *                   virtual service's total requests
 * @param checks requests handed to the host to check their Basic credentials (each comes back as a dispatch of
 *               its own when accepted)
 * @param logins logins the directory accepted
 * @param cachedLogins Basic checks answered from the check cache (no directory call)
 * @param failures logins the directory rejected
 * @param lockouts users or client addresses locked out after repeated failures
 * @param lockedRefusals logins refused because a lockout was in force (the directory was not asked)
 * @param unavailable logins the directory could not answer (503)
 */
public record AuthenticationStats(long challenges, long checks, long logins, long cachedLogins, long failures,
        long lockouts, long lockedRefusals, long unavailable) {

    /** All zero. */
    public static final AuthenticationStats NONE = new AuthenticationStats(0, 0, 0, 0, 0, 0, 0, 0);

    static AuthenticationStats of(long[] c) {
        return new AuthenticationStats(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]);
    }
}
