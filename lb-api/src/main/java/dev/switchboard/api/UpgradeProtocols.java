package dev.switchboard.api;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a virtual service's {@code upgrades}: protocol names (RFC 9110 tokens), each once, never {@code h2c}, which is
 * never tunnelled (a tunnel to a server that speaks h2c would carry requests past every rule). Stateless.
 */
final class UpgradeProtocols {

    private UpgradeProtocols() {
    }

    static void validate(String path, List<String> upgrades, Problems problems) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < upgrades.size(); i++) {
            String p = upgrades.get(i);
            String at = path + "[" + i + "]";
            if (!Tokens.isToken(p)) {
                problems.add(at, "'" + p + "' (expected: a protocol name such as websocket, letters, digits and"
                        + " !#$%&'*+-.^_`|~ only)");
            } else if (p.equalsIgnoreCase("h2c")) {
                problems.add(at, "'" + p + "' (expected: not h2c, which is never tunnelled: a tunnel to a server"
                        + " that speaks h2c would carry requests past every rule)");
            } else if (!seen.add(p.toLowerCase(Locale.ROOT))) {
                problems.add(at, "'" + p + "' is listed twice");
            }
        }
    }
}
