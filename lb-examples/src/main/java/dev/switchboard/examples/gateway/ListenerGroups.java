package dev.switchboard.examples.gateway;

import dev.switchboard.api.Address;
import dev.switchboard.netty.settings.ListenerSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The gateway's listeners by listen address: the virtual services of one address (virtual hosting, chosen by their
 * {@code hostNames}) share one listener, each other virtual service has its own. Port 0 (any free port) is never
 * shared. The configuration reader has checked that a shared address is a valid group (one protocol, one default,
 * each host name once, the same timeouts, limits and trusted proxies). Stateless; thread-safe.
 *
 * <pre>{@code
 * for (List<ListenerSettings> group : ListenerGroups.of(config.listeners())) { bind one listener for the group }
 * }</pre>
 */
final class ListenerGroups {

    private ListenerGroups() {
    }

    /** The listeners to bind, in the order of their first virtual service; a group of one is a plain listener. */
    static List<List<ListenerSettings>> of(List<ListenerSettings> all) {
        Map<Object, List<ListenerSettings>> groups = new LinkedHashMap<>();
        for (ListenerSettings s : all) {
            Object key = s.listen().port() == 0 ? new Object() : s.listen(); // port 0: a group of its own
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
        }
        return List.copyOf(groups.values());
    }

    /** The names of the virtual services that share their address with another. */
    static Set<String> shared(List<ListenerSettings> all) {
        Set<String> names = new HashSet<>();
        for (List<ListenerSettings> group : of(all)) {
            if (group.size() > 1) {
                group.forEach(s -> names.add(s.virtualService()));
            }
        }
        return names;
    }

    /** The address a group listens on. */
    static Address address(List<ListenerSettings> group) {
        return group.get(0).listen();
    }
}
