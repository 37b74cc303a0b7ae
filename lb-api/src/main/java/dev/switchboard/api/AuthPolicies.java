package dev.switchboard.api;

import java.util.List;

/**
 * Checks the pre-authentication policies of a model against its {@link Authentication}: a policy that authenticates
 * needs the settings, and {@link AuthMode#FORM} needs the SSO cookie its login sets. Stateless.
 */
final class AuthPolicies {

    private AuthPolicies() {
    }

    static void validate(List<VirtualService> services, Authentication authentication, Problems problems) {
        for (int i = 0; i < services.size(); i++) {
            VirtualService vs = services.get(i);
            String path = "virtualServices[" + i + "]";
            if (vs.findRedirect().isPresent()) {
                if (vs.auth().enabled()) {
                    problems.add(path + ".auth", "'" + vs.auth().mode().configName() + "' on a redirector"
                            + " (expected: none; a redirector answers before any sub-service)");
                }
                continue;
            }
            check(path, vs.auth(), authentication, problems);
            for (int j = 0; j < vs.subServices().size(); j++) {
                SubService sub = vs.subServices().get(j);
                int at = j;
                sub.findAuth().ifPresent(p -> check(path + ".subServices[" + at + "]", p, authentication, problems));
            }
        }
    }

    private static void check(String path, AuthPolicy policy, Authentication authentication, Problems problems) {
        if (!policy.enabled()) {
            return;
        }
        String mode = policy.mode().configName();
        if (authentication == null) {
            problems.add(path + ".auth", "'" + mode + "' without authentication settings (expected: an"
                    + " authentication section with the realm and, for form, the sso cookie)");
        } else if (policy.mode() == AuthMode.FORM && authentication.findSso().isEmpty()) {
            problems.add(path + ".auth", "'form' without authentication.sso (expected: the SSO cookie settings, which"
                    + " the login page sets)");
        }
    }
}
