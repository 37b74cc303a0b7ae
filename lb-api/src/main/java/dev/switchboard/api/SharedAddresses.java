package dev.switchboard.api;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules for virtual services that share one listen address (virtual hosting): one protocol per address (http,
 * https and tcp cannot share a port), at most one default (a virtual service without host names), and each host name
 * pattern at most once. Port 0 (any free port) is never shared, so it is left out.
 */
final class SharedAddresses {

    private SharedAddresses() {
    }

    static void validate(List<VirtualService> virtualServices, Problems problems) {
        Map<Address, List<Integer>> byAddress = new LinkedHashMap<>();
        for (int i = 0; i < virtualServices.size(); i++) {
            Address listen = virtualServices.get(i).listen();
            if (listen.port() != 0) {
                byAddress.computeIfAbsent(listen, a -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> group : byAddress.values()) {
            if (group.size() > 1 && group.stream().anyMatch(i -> !virtualServices.get(i).hostNames().isEmpty())) {
                validateGroup(virtualServices, group, problems);
            }
        }
    }

    private static void validateGroup(List<VirtualService> all, List<Integer> group, Problems problems) {
        int first = group.get(0);
        VirtualService primary = all.get(first);
        int defaultAt = -1;
        Map<String, String> patterns = new HashMap<>();
        for (int i : group) {
            VirtualService vs = all.get(i);
            String path = "virtualServices[" + i + "]";
            if (vs.protocol() != primary.protocol()) {
                problems.add(path + ".protocol", vs.protocol().configName() + " on " + vs.listen()
                        + ", which virtualServices[" + first + "] serves with " + primary.protocol().configName()
                        + " (expected: one protocol per address; http, https and tcp cannot share a port)");
            }
            if (vs.hostNames().isEmpty()) {
                if (defaultAt >= 0) {
                    problems.add(path + ".hostNames", "missing: a second default on " + vs.listen()
                            + ", as virtualServices[" + defaultAt + "] has no hostNames either (expected: hostNames on"
                            + " every virtual service of a shared address but one)");
                } else {
                    defaultAt = i;
                }
            }
            for (int k = 0; k < vs.hostNames().size(); k++) {
                String name = vs.hostNames().get(k);
                String here = path + ".hostNames[" + k + "]";
                String before = patterns.putIfAbsent(name, here);
                if (before != null && !before.startsWith(path + ".")) { // twice in one list: reported by HostNames
                    problems.add(here, "\"" + name + "\" on " + vs.listen() + " is also " + before
                            + " (expected: each host name once per address)");
                }
            }
        }
    }
}
