package dev.switchboard.config;

import dev.switchboard.api.Address;
import dev.switchboard.api.VirtualService;
import dev.switchboard.netty.settings.ListenerSettings;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The listener options that act on a connection before its virtual service is chosen, and so must agree between the
 * virtual services that share one address (virtual hosting): {@code timeouts}, {@code limits}, {@code trustedProxies}
 * and {@code acceptProxyProtocol}. The model's own rules for a shared address (one protocol, one default, each host
 * name once) are the engine's ({@code LoadBalancer.Builder.build()}). Port 0 is never shared. Not thread-safe; one per
 * read.
 */
final class SharedAddressOptions {

    private record Entry(int index, VirtualService virtualService, ListenerSettings settings) {
    }

    private static final Map<String, Function<ListenerSettings, Object>> OPTIONS = Map.of(
            "timeouts", ListenerSettings::timeouts,
            "limits", ListenerSettings::limits,
            "trustedProxies", ListenerSettings::trustedProxies,
            "acceptProxyProtocol", ListenerSettings::acceptProxyProtocol);

    private final Map<Address, List<Entry>> byAddress = new LinkedHashMap<>();

    /** Notes the virtual service at {@code virtualServices[index]} and its listener, if it has one. */
    void add(int index, VirtualService virtualService, List<ListenerSettings> listeners) {
        for (ListenerSettings s : listeners) {
            if (s.listen().port() != 0) {
                byAddress.computeIfAbsent(s.listen(), a -> new ArrayList<>())
                        .add(new Entry(index, virtualService, s));
            }
        }
    }

    /** Records a problem for every option that differs from the first virtual service's on a shared address. */
    void report(ConfigErrors errors) {
        for (List<Entry> group : byAddress.values()) {
            if (group.size() < 2 || group.stream().allMatch(e -> e.virtualService().hostNames().isEmpty())) {
                continue;
            }
            Entry first = group.get(0);
            for (Entry e : group.subList(1, group.size())) {
                for (String option : List.of("timeouts", "limits", "trustedProxies", "acceptProxyProtocol")) {
                    Object mine = OPTIONS.get(option).apply(e.settings());
                    Object theirs = OPTIONS.get(option).apply(first.settings());
                    if (!Objects.equals(mine, theirs)) {
                        errors.add("virtualServices[" + e.index() + "]." + option, "differs from virtualServices["
                                + first.index() + "] on the shared address " + e.settings().listen()
                                + ", expected the same " + option + " on every virtual service of one address"
                                + " (they act before the host name chooses one)", String.valueOf(mine));
                    }
                }
            }
        }
    }
}
