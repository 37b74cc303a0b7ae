package dev.switchboard.api;

import java.util.List;

/** Validation shared by the rule lists of virtual services and sub-services. */
final class Rules {

    private Rules() {
    }

    static void validate(String path, List<HeaderRule> rules, boolean response, Protocol protocol,
            Problems problems) {
        if (protocol == Protocol.TCP && !rules.isEmpty()) {
            problems.add(path, rules.size() + " rules on a tcp virtual service (expected: none; L4 has no headers)");
            return;
        }
        for (int i = 0; i < rules.size(); i++) {
            rules.get(i).validate(path + "[" + i + "]", response, problems);
        }
    }
}
