package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.AdminState;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One probed endpoint: a distinct (address, check, PROXY protocol header) and every target that shares it. The
 * probe runs once per interval and its verdict fans out to each target. Mutated only on the checker's loop thread;
 * {@link #health()} may be read from any thread.
 *
 * @param <T> the targets (the checker's; this package does not need to know them)
 */
public final class ProbeGroup<T> {

    private final Address address;
    private final HealthCheck check;
    private final ProxyProtocol proxyProtocol;
    private final RiseFallState state;
    private final Set<T> targets = new LinkedHashSet<>();
    private volatile Health health;
    private String lastReason;
    private AgentAnswer lastAgentAnswer;
    private volatile Probed lastProbe;
    private int wishedWeight = 100;
    private AdminState wishedState = AdminState.ENABLED;
    private boolean wished;
    private HealthLoop.Timer next;
    private boolean closed;

    /** A group whose probes open with a PROXY protocol header of {@code proxyProtocol} (none for NONE). */
    public ProbeGroup(Address address, HealthCheck check, ProxyProtocol proxyProtocol) {
        this(address, check, proxyProtocol, check.initialState(), "not checked yet");
    }

    /**
     * A group that starts in {@code initial} (in place of the check's initial state) with {@code reason}: the verdict
     * of a target whose check changed is kept until the new check's first probe decides.
     */
    public ProbeGroup(Address address, HealthCheck check, ProxyProtocol proxyProtocol, Health initial,
            String reason) {
        this.address = address;
        this.check = check;
        this.proxyProtocol = proxyProtocol;
        this.state = new RiseFallState(initial, check.rise(), check.fall());
        this.health = initial;
        this.lastReason = reason;
    }

    public Address address() {
        return address;
    }

    public HealthCheck check() {
        return check;
    }

    /** The PROXY protocol header the probes' connections open with. */
    public ProxyProtocol proxyProtocol() {
        return proxyProtocol;
    }

    public Health health() {
        return health;
    }

    public String lastReason() {
        return lastReason;
    }

    /** A copy of the targets sharing this probe. */
    public List<T> targets() {
        return List.copyOf(targets);
    }

    public void add(T target) {
        targets.add(target);
    }

    /** Removes a target; returns true when none is left. */
    public boolean remove(T target) {
        targets.remove(target);
        return targets.isEmpty();
    }

    /**
     * Records a result.
     *
     * @return the outcome: whether the verdict changed, and whether it was the first result
     */
    public Recorded record(ProbeOutcome result) {
        boolean first = !state.checked();
        Health before = state.health();
        boolean changed = state.record(result.success());
        lastReason = result.reason();
        health = state.health();
        return new Recorded(before, health, changed, first);
    }

    /** The last probe's result, once there was one; readable from any thread. */
    public Optional<Probed> findLastProbe() {
        return Optional.ofNullable(lastProbe);
    }

    /** Keeps {@code result}, which ended at {@code time}, as the last probe's. */
    public void lastProbe(Instant time, ProbeOutcome result) {
        this.lastProbe = new Probed(time, result);
    }

    /** Whether the verdict is changing, so that the next probe runs after the fast interval. */
    public boolean changing() {
        return state.changing();
    }

    /** The last agent answer, if this is an agent check that got one. */
    public Optional<AgentAnswer> findAgentAnswer() {
        return Optional.ofNullable(lastAgentAnswer);
    }

    /** Keeps {@code report} as the last agent answer; returns whether it differs from the one before. */
    public boolean agentAnswer(AgentAnswer report) {
        boolean changed = !report.equals(lastAgentAnswer);
        lastAgentAnswer = report;
        return changed;
    }

    /**
     * Folds an agent's answer into the wishes in force: a weight percentage replaces the one before (100 until the
     * first), {@code maint} asks for disabled, {@code drain} for draining, {@code ready}/{@code up} for enabled;
     * anything else keeps the state asked for before. An unreadable answer changes nothing.
     *
     * @return whether the wishes in force changed
     */
    public boolean wishes(AgentAnswer report) {
        if (!report.readable()) {
            return false;
        }
        int weight = report.weightPercent().orElse(wishedWeight);
        AdminState state = report.maintenance() ? AdminState.DISABLED : report.drain() ? AdminState.DRAINING
                : report.asksReady() ? AdminState.ENABLED : wishedState;
        boolean changed = !wished || weight != wishedWeight || state != wishedState;
        wishedWeight = weight;
        wishedState = state;
        wished = true;
        return changed;
    }

    /** Whether an agent answer has set wishes. */
    public boolean wished() {
        return wished;
    }

    /** The weight percentage the agent asks for (100 before any answer). */
    public int wishedWeight() {
        return wishedWeight;
    }

    /** The admin state the agent asks for (enabled before any answer). */
    public AdminState wishedState() {
        return wishedState;
    }

    /** The timer that runs this group's next probe (set once by the checker), or null. */
    public HealthLoop.Timer next() {
        return next;
    }

    public void next(HealthLoop.Timer timer) {
        this.next = timer;
    }

    public boolean closed() {
        return closed;
    }

    /** Stops the group: no further probe is scheduled and late results are ignored. */
    public void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }

    /**
     * What one result did.
     *
     * @param from the verdict before
     * @param to the verdict after
     * @param changed whether it changed
     * @param first whether this was the first result for the group
     */
    public record Recorded(Health from, Health to, boolean changed, boolean first) {
    }

    /**
     * The last probe of the group.
     *
     * @param time when it ended, on the checker's clock
     * @param outcome what it found
     */
    public record Probed(Instant time, ProbeOutcome outcome) {
    }
}
