package dev.switchboard.engine.internal.auth;

import dev.switchboard.api.AuthMode;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Decision;
import dev.switchboard.api.HeaderEdit;
import dev.switchboard.api.RequestView;
import dev.switchboard.engine.auth.BasicAuthorization;
import dev.switchboard.engine.auth.SsoCookies;
import dev.switchboard.engine.auth.SsoVerdict;
import dev.switchboard.engine.internal.trace.Trace;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-authentication policy of one sub-service, compiled: after content switching, a sub-service that does not
 * authenticate (in a virtual service where another does) only removes a client-sent {@code X-Authenticated-User}; an
 * exempt path goes on; a valid SSO cookie (opened here: crypto, no I/O) or a user the host verified lets the request
 * through as that user; a Basic header asks the host to check it ({@link Decision.Authenticate}); anything else is
 * challenged (401 with {@code WWW-Authenticate} for basic, a redirect to the login page for form). Immutable and
 * thread-safe.
 */
public final class CompiledAuth {

    /** The login page the form mode redirects to. */
    public static final String LOGIN_PATH = "/.switchboard/login";
    /** The header that carries the user to the real server. */
    public static final String USER_HEADER = "X-Authenticated-User";

    private final AuthPolicy policy;
    private final String[] exempt;
    private final SsoCookies cookies;
    private final Decision.Respond basicChallenge;

    /** @param cookies the SSO cookies, or null when the model configures none (basic only) */
    public CompiledAuth(AuthPolicy policy, String realm, SsoCookies cookies) {
        this.policy = policy;
        this.exempt = policy.exempt().toArray(new String[0]);
        this.cookies = cookies;
        this.basicChallenge = new Decision.Respond(401, "authentication required", List.of(
                HeaderEdit.set("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"")));
    }

    public boolean enabled() {
        return policy.enabled();
    }

    /**
     * Decides for one request.
     *
     * @param request the request as the rules so far left it
     * @param path the normalized path content switching saw (exempt prefixes are compared with it)
     * @param clientPath the normalized path the client asked for (the login page's {@code next})
     * @param client the client's address as text
     * @param verifiedUser the user the host verified ({@code dispatchAuthenticated}), or empty
     */
    public AuthStep decide(RequestView request, String path, String clientPath, String client, String verifiedUser,
            String vs, String sub, Trace trace) {
        if (!policy.enabled()) {
            if (request.header("x-authenticated-user") == null) {
                return new AuthStep.Pass("", "", List.of());
            }
            if (trace.enabled()) {
                trace.step("pre-authentication (none here): the client's " + USER_HEADER + " removed");
            }
            return new AuthStep.Pass("", "", List.of(HeaderEdit.remove(USER_HEADER)));
        }
        String cookieHeader = request.header("cookie");
        for (String prefix : exempt) {
            if (path.startsWith(prefix)) {
                if (trace.enabled()) {
                    trace.step("pre-authentication (" + policy.mode().configName() + "): exempt, the path starts with "
                            + prefix);
                }
                List<HeaderEdit> edits = new ArrayList<>(2);
                edits.add(HeaderEdit.remove(USER_HEADER));
                cookieEdit(cookieHeader, edits);
                return new AuthStep.Pass("", "", edits);
            }
        }
        if (!verifiedUser.isEmpty()) {
            if (trace.enabled()) {
                trace.step("pre-authentication: let through as " + verifiedUser
                        + " (credentials verified by the host)");
            }
            return pass(verifiedUser, "", cookieHeader);
        }
        String refused = "no SSO cookie";
        if (cookies != null && cookieHeader != null) {
            String value = cookies.find(cookieHeader);
            if (!value.isEmpty()) {
                SsoVerdict v = cookies.open(value);
                if (v.valid()) {
                    if (trace.enabled()) {
                        trace.step("pre-authentication: let through as " + v.user() + " (SSO cookie valid"
                                + (v.refreshed().isEmpty() ? ")" : ", refreshed on the response)"));
                    }
                    return pass(v.user(), v.refreshed(), cookieHeader);
                }
                refused = v.status().describe();
            }
        }
        return challengeOrCheck(request, clientPath, client, vs, sub, refused, trace);
    }

    private AuthStep challengeOrCheck(RequestView request, String clientPath, String client, String vs, String sub,
            String refused, Trace trace) {
        Decision challenge = challenge(clientPath, request.query());
        BasicAuthorization basic = BasicAuthorization.parse(request.header("authorization"), client);
        if (basic instanceof BasicAuthorization.Malformed m) {
            if (trace.enabled()) {
                trace.step("pre-authentication: answered 400: " + m.reason());
            }
            return new AuthStep.Answer(Decision.Respond.of(400, m.reason()));
        }
        if (basic instanceof BasicAuthorization.Present p) {
            if (trace.enabled()) {
                trace.step("pre-authentication: " + refused + "; Basic credentials of user "
                        + p.credentials().user() + " must be checked by the host");
            }
            return new AuthStep.Answer(new Decision.Authenticate(vs, sub, p.credentials(), challenge));
        }
        if (trace.enabled()) {
            trace.step("pre-authentication: challenged (" + refused + ", no credentials): " + (challenge
                    instanceof Decision.Redirect r ? "redirect to " + r.location() : "401 Basic"));
        }
        return new AuthStep.Answer(challenge);
    }

    private Decision challenge(String clientPath, String query) {
        if (policy.mode() == AuthMode.BASIC) {
            return basicChallenge;
        }
        String next = query.isEmpty() ? clientPath : clientPath + "?" + query;
        return new Decision.Redirect(302, LOGIN_PATH + "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
    }

    private AuthStep pass(String user, String refreshed, String cookieHeader) {
        List<HeaderEdit> edits = new ArrayList<>(3);
        edits.add(HeaderEdit.set(USER_HEADER, user));
        if (!policy.passCredentials()) {
            edits.add(HeaderEdit.remove("Authorization"));
        }
        cookieEdit(cookieHeader, edits);
        return new AuthStep.Pass(user, refreshed, edits);
    }

    /** Removes the SSO cookie from the Cookie header (keeping the others) unless credentials pass. */
    private void cookieEdit(String cookieHeader, List<HeaderEdit> edits) {
        if (policy.passCredentials() || cookies == null || cookieHeader == null
                || cookies.find(cookieHeader).isEmpty()) {
            return;
        }
        String rest = cookies.without(cookieHeader);
        edits.add(rest.isEmpty() ? HeaderEdit.remove("Cookie") : HeaderEdit.set("Cookie", rest));
    }

    /** The cookies of this policy, to set a refreshed one. */
    public SsoCookies cookies() {
        return cookies;
    }
}
