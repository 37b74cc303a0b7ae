package dev.switchboard.api;

import java.util.Locale;

/**
 * How a virtual service or sub-service pre-authenticates its clients at the edge (see {@link AuthPolicy}).
 * {@link #configName()} is the value of {@code "auth"} in the configuration file.
 */
public enum AuthMode {
    /** Browsers: a login page at {@code /.switchboard/login} sets the SSO cookie; a Basic header is also accepted. */
    FORM,
    /** Programs (ActiveSync, EWS): {@code 401} with {@code WWW-Authenticate: Basic realm="..."}; SSO cookies pass. */
    BASIC,
    /** No pre-authentication: requests go on as before. */
    NONE;

    /** {@code form}, {@code basic} or {@code none}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
