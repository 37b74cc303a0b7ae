package dev.switchboard.health;

import dev.switchboard.api.Address;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import dev.switchboard.health.internal.ProbeGroup;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HealthChecker}'s targets and their probe groups: targets with the same probed address, an equal check
 * and the same probe PROXY protocol header share one group. Adding a target reports the group's state to it at
 * once; removing the last target of a group closes the group. Changed only on the checker's loop thread;
 * {@link #findGroup} may be called from any thread.
 */
final class TargetTracker {

    private static final Logger log = LoggerFactory.getLogger(HealthChecker.class);

    private record ProbeKey(Address address, HealthCheck check, ProxyProtocol proxyProtocol) {
    }

    private record TargetId(String virtualService, String subService, String server) {
        static TargetId of(HealthTarget t) {
            return new TargetId(t.virtualService(), t.subService(), t.server());
        }
    }

    private record Entry(HealthTarget target, ProbeGroup<HealthTarget> group) {
    }

    private final Verdicts verdicts;
    private final Consumer<ProbeGroup<HealthTarget>> started;
    private final Consumer<ProbeGroup<HealthTarget>> stopped;
    private final Map<ProbeKey, ProbeGroup<HealthTarget>> groups = new HashMap<>();
    private final Map<TargetId, Entry> targets = new ConcurrentHashMap<>();

    /**
     * @param started called with each new group (to schedule its first probe)
     * @param stopped called with each group whose last target was removed, after it was closed
     */
    TargetTracker(Verdicts verdicts, Consumer<ProbeGroup<HealthTarget>> started,
            Consumer<ProbeGroup<HealthTarget>> stopped) {
        this.verdicts = verdicts;
        this.started = started;
        this.stopped = stopped;
    }

    /** The probe group of a target, once its add has taken effect. */
    Optional<ProbeGroup<HealthTarget>> findGroup(String virtualService, String subService, String server) {
        Entry e = targets.get(new TargetId(virtualService, subService, server));
        return e == null ? Optional.empty() : Optional.of(e.group());
    }

    /** Adds a target, or replaces the one with the same virtual service, sub-service and server. */
    void add(HealthTarget target) {
        add(target, null);
    }

    /** Removes the target with this target's virtual service, sub-service and server, if any. */
    void remove(HealthTarget target) {
        remove(TargetId.of(target));
    }

    /** Makes the targets exactly {@code next}: see {@link HealthChecker#apply}. */
    void apply(Set<HealthTarget> next) {
        Map<TargetId, HealthTarget> wanted = new HashMap<>();
        next.forEach(t -> wanted.put(TargetId.of(t), t));
        int removed = 0;
        int added = 0;
        for (TargetId id : List.copyOf(targets.keySet())) {
            if (!wanted.containsKey(id)) {
                remove(id);
                removed++;
            }
        }
        for (HealthTarget t : next) {
            Entry e = targets.get(TargetId.of(t));
            if (e == null) {
                add(t);
                added++;
            } else if (!e.target().equals(t)) {
                // same server, same address, another check or PROXY header: keep its verdict until the new
                // check's first probe
                add(t, e.target().address().equals(t.address()) ? e.group() : null);
                added++;
            }
        }
        log.info("health checks follow the model: {} targets ({} added or changed, {} removed, {} kept)",
                next.size(), added, removed, next.size() - added);
    }

    /** Adds or replaces a target; a new group starts in {@code carried}'s verdict when given, else the check's. */
    private void add(HealthTarget target, ProbeGroup<HealthTarget> carried) {
        TargetId id = TargetId.of(target);
        if (targets.containsKey(id)) {
            remove(id);
        }
        ProbeKey key = new ProbeKey(target.probedAddress(), target.check(), target.probedProxyProtocol());
        ProbeGroup<HealthTarget> group = groups.get(key);
        if (group == null) {
            group = carried == null ? new ProbeGroup<>(key.address(), key.check(), key.proxyProtocol())
                    : new ProbeGroup<>(key.address(), key.check(), key.proxyProtocol(), carried.health(),
                            "check changed, verdict kept until its first probe: " + carried.lastReason());
            groups.put(key, group);
            started.accept(group);
        }
        group.add(target);
        targets.put(id, new Entry(target, group));
        verdicts.health(target, group.health(), group.lastReason());
        group.findAgentAnswer().ifPresent(a -> verdicts.agentReport(target, AgentReport.of(a)));
        if (group.wished()) {
            verdicts.wishes(target, group.wishedWeight(), group.wishedState(), group.findAgentAnswer().orElseThrow()
                    .reason());
        }
    }

    private void remove(TargetId id) {
        Entry e = targets.remove(id);
        if (e != null && e.group().wished()) {
            verdicts.wishes(e.target(), 100, AdminState.ENABLED, "agent check removed");
        }
        if (e != null && e.group().remove(e.target())) {
            e.group().close();
            groups.remove(new ProbeKey(e.group().address(), e.group().check(), e.group().proxyProtocol()));
            stopped.accept(e.group());
        }
    }
}
