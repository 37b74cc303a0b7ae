package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.engine.AuthenticationStats;

/**
 * The pre-authentication figures of a virtual service that authenticates, for {@code GET /api/stats} (an {@code
 * authentication} object) and the stats page (a line under its heading): logins accepted (from the directory and
 * from the check cache), failed, lockouts, refusals while locked out, directory unavailable, and challenges.
 * Stateless.
 */
final class AuthenticationFigures {

    private AuthenticationFigures() {
    }

    /** Whether the virtual service {@code name} of {@code model} (or one of its sub-services) authenticates. */
    static boolean authenticates(LoadBalancer model, String name) {
        return model.findVirtualService(name).map(AuthenticationFigures::authenticates).orElse(false);
    }

    private static boolean authenticates(VirtualService vs) {
        return vs.auth().enabled() || vs.subServices().stream().map(SubService::findAuth)
                .anyMatch(p -> p.isPresent() && p.get().enabled());
    }

    /** {@code v.authentication}: every counter, named as in {@link AuthenticationStats}. */
    static void json(ObjectNode v, AuthenticationStats a) {
        ObjectNode o = v.putObject("authentication");
        o.put("logins", a.logins() + a.cachedLogins());
        o.put("cachedLogins", a.cachedLogins());
        o.put("failures", a.failures());
        o.put("lockouts", a.lockouts());
        o.put("lockedRefusals", a.lockedRefusals());
        o.put("unavailable", a.unavailable());
        o.put("challenges", a.challenges());
        o.put("checks", a.checks());
    }

    /** The line of the stats page: what matters at a glance, each figure in a span of its own class. */
    static void html(StringBuilder out, AuthenticationStats a) {
        out.append("<p class=\"auth\">pre-authentication · logins <span class=\"auth-ok\">")
                .append(Readable.count(a.logins() + a.cachedLogins())).append("</span> (")
                .append(Readable.count(a.cachedLogins()))
                .append(" from the cache) · failed <span class=\"auth-failed\">")
                .append(Readable.count(a.failures())).append("</span> · locked out <span class=\"auth-locked\">")
                .append(Readable.count(a.lockouts())).append("</span> (")
                .append(Readable.count(a.lockedRefusals()))
                .append(" refused while locked) · directory unavailable <span class=\"auth-unavailable\">")
                .append(Readable.count(a.unavailable())).append("</span> · challenged ")
                .append(Readable.count(a.challenges())).append("</p>\n");
    }
}
