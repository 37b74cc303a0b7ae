package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.ConfigurationException;
import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.HeaderRule;
import dev.switchboard.api.Health;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.LoadBalancer;
import dev.switchboard.api.RealServer;
import dev.switchboard.api.RulePhase;
import dev.switchboard.api.Scheduling;
import dev.switchboard.api.SchedulingMethod;
import dev.switchboard.api.SubService;
import dev.switchboard.api.Target;
import dev.switchboard.api.Violation;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.api.spi.SchedulerFactory;
import dev.switchboard.api.spi.Ticker;
import dev.switchboard.api.AuthPolicy;
import dev.switchboard.api.Authentication;
import dev.switchboard.engine.auth.SsoCookies;
import dev.switchboard.engine.auth.SsoRevocations;
import dev.switchboard.engine.internal.auth.CompiledAuth;
import dev.switchboard.engine.internal.lease.OutcomeRelay;
import dev.switchboard.engine.internal.lease.WaitQueue;
import dev.switchboard.engine.internal.persist.PersistenceCompiler;
import dev.switchboard.engine.internal.rewrite.CompiledHeaderRule;
import dev.switchboard.engine.internal.routing.CompiledMatch;
import dev.switchboard.engine.internal.routing.ContentSwitch;
import dev.switchboard.engine.internal.routing.RuleMatcher;
import dev.switchboard.engine.internal.schedule.SchedulerSettings;
import dev.switchboard.engine.internal.schedule.Schedulers;
import dev.switchboard.engine.internal.state.ServerState;
import dev.switchboard.engine.internal.state.ServiceCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Compiles a {@link LoadBalancer} model into a {@link TablePlan}: the next {@link RoutingTable}, carrying over the
 * state objects of virtual services, sub-services and real servers that keep their names, and the changes their
 * live state takes when the plan is applied. Compiling touches no live state, so a model that fails leaves the
 * engine as it was. Regular expressions, custom schedulers and persistence stores are checked here; every problem
 * is reported with its path in one {@link dev.switchboard.api.ConfigurationException}. What must survive a swap is
 * handed to the new table for sub-services that keep their names: server states, counters, persistence stores,
 * the wait queue (when its capacity is unchanged) and the positions of the built-in schedulers (a round robin walks
 * on instead of starting over). Runs on the control plane only.
 */
public final class TableCompiler {

    private final Ticker ticker;
    private final ScheduledExecutorService timer;
    private final PersistenceCompiler persistence;
    private final OutcomeRelay outcomes;
    private final SchedulerSettings schedulers;
    private final SsoRevocations revocations;

    /** A compiler whose sub-services report no outcomes (for benchmarks of the stages). */
    public TableCompiler(Ticker ticker, ScheduledExecutorService timer, PersistenceCompiler persistence) {
        this(ticker, timer, persistence, new OutcomeRelay(), SchedulerSettings.ofDefaults());
    }

    /**
     * A compiler whose sub-services with outlier detection report lease outcomes to {@code outcomes} and whose
     * built-in schedulers are made with {@code schedulers} (random source, stripes).
     */
    public TableCompiler(Ticker ticker, ScheduledExecutorService timer, PersistenceCompiler persistence,
            OutcomeRelay outcomes, SchedulerSettings schedulers) {
        this(ticker, timer, persistence, outcomes, schedulers, SsoRevocations.ofDefaults());
    }

    /** As above, whose SSO cookies refuse the sessions ended in {@code revocations} (the engine's logout list). */
    public TableCompiler(Ticker ticker, ScheduledExecutorService timer, PersistenceCompiler persistence,
            OutcomeRelay outcomes, SchedulerSettings schedulers, SsoRevocations revocations) {
        this.revocations = revocations;
        this.ticker = ticker;
        this.timer = timer;
        this.persistence = persistence;
        this.outcomes = outcomes;
        this.schedulers = schedulers;
    }

    /**
     * Compiles {@code model} against the live state of {@code previous}, changing none of it.
     *
     * @throws dev.switchboard.api.ConfigurationException listing every problem with its path
     */
    public TablePlan compile(LoadBalancer model, RoutingTable previous) {
        List<Violation> problems = new ArrayList<>();
        Compilation c = new Compilation(previous);
        Map<String, ServerState> servers = new HashMap<>();
        Map<String, ServiceCounters> counters = new HashMap<>();
        Map<String, PersistenceStore> stores = new HashMap<>();
        List<CompiledVirtualService> compiled = new ArrayList<>();
        List<VirtualService> vss = model.virtualServices();
        for (int v = 0; v < vss.size(); v++) {
            VirtualService vs = vss.get(v);
            String path = "virtualServices[" + v + "]";
            ServiceCounters vsCounters = previous.counters().getOrDefault(vs.name(), new ServiceCounters());
            counters.put(vs.name(), vsCounters);
            CompiledHeaderRule[] before = rules(vs.requestRules(), RulePhase.BEFORE_MATCH, path + ".requestRules",
                    problems);
            CompiledHeaderRule[] after = rules(vs.requestRules(), RulePhase.AFTER_MATCH, path + ".requestRules",
                    problems);
            List<CompiledSubService> subs = new ArrayList<>();
            List<CompiledMatch> matches = new ArrayList<>();
            boolean[] defaults = new boolean[vs.subServices().size()];
            String[] names = new String[defaults.length];
            int defaultIndex = -1;
            for (int s = 0; s < vs.subServices().size(); s++) {
                SubService sub = vs.subServices().get(s);
                String subPath = path + ".subServices[" + s + "]";
                matches.add(match(sub.match(), subPath + ".match", problems));
                defaults[s] = sub.isDefault();
                names[s] = sub.name();
                if (sub.isDefault() && defaultIndex < 0) {
                    defaultIndex = s;
                }
                subs.add(subService(vs, path, sub, subPath, c, servers, counters, stores, problems));
            }
            if (!problems.isEmpty()) {
                continue;
            }
            compiled.add(new CompiledVirtualService(vs.name(), vs.protocol(), vs.maxPathLength(),
                    vs.findRedirect().orElse(null), before, after, ContentSwitch.build(matches, defaults, names),
                    subs.toArray(new CompiledSubService[0]), defaultIndex, vsCounters, vs.trustedProxies(),
                    auths(model, vs)));
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(problems);
        }
        // timeouts and bounds of kept persistence stores change only when the plan is applied
        return new TablePlan(new RoutingTable(model, compiled, servers, counters, stores), c.servers, c.pools,
                previous != RoutingTable.EMPTY, ticker, () -> persistence.commit(stores.values(), c.served));
    }

    /** What one compilation reads of the previous table and collects for its plan. */
    private static final class Compilation {
        final RoutingTable previous;
        final Map<String, Pool> previousPools = new HashMap<>();
        final Map<String, Scheduler> previousSchedulers = new HashMap<>();
        final Map<String, WaitQueue> previousQueues = new HashMap<>();
        final List<TablePlan.ServerChange> servers = new ArrayList<>();
        final List<TablePlan.PoolChange> pools = new ArrayList<>();
        /** The server ids of the pools each persistence store serves, by identity. */
        final Map<PersistenceStore, Set<Long>> served = new IdentityHashMap<>();

        Compilation(RoutingTable previous) {
            this.previous = previous;
            for (CompiledVirtualService vs : previous.virtualServices()) {
                for (CompiledSubService sub : vs.subServices()) {
                    previousPools.put(RoutingTable.key(vs.name(), sub.name()), sub.pool());
                    previousSchedulers.put(RoutingTable.key(vs.name(), sub.name()), sub.scheduler());
                    previousQueues.put(RoutingTable.key(vs.name(), sub.name()), sub.queue());
                }
            }
        }
    }

    private CompiledSubService subService(VirtualService vs, String vsPath, SubService sub, String path,
            Compilation c, Map<String, ServerState> servers, Map<String, ServiceCounters> counters,
            Map<String, PersistenceStore> stores, List<Violation> problems) {
        RoutingTable previous = c.previous;
        String subKey = RoutingTable.key(vs.name(), sub.name());
        long slowStartNanos = sub.findSlowStart().orElse(vs.slowStart()).toNanos();
        boolean detecting = sub.findOutlierDetection().isPresent();
        Health initialHealth = sub.findHealthCheck().map(HealthCheck::initialState).orElse(Health.UP);
        List<ServerState> states = new ArrayList<>();
        Target[] targets = new Target[sub.realServers().size()];
        for (int i = 0; i < targets.length; i++) {
            RealServer rs = sub.realServers().get(i);
            String key = RoutingTable.key(vs.name(), sub.name(), rs.name());
            ServerState state = previous.servers().get(key);
            boolean added = state == null;
            if (added) {
                state = new ServerState(vs.name(), sub.name(), rs, initialHealth);
            }
            c.servers.add(new TablePlan.ServerChange(state, rs, added, detecting, slowStartNanos));
            servers.put(key, state);
            states.add(state);
            targets[i] = new Target(vs.name(), sub.name(), rs.name(), rs.address(), false,
                    rs.findProxyProtocol().orElse(sub.proxyProtocol()), sub.upstreamProtocol());
        }
        Pool pool = new Pool(states, sub.realServers(), sub.minPrimaryServers(), sub.minHealthyServers(),
                sub.panicThresholdPercent(), slowStartNanos, ticker);
        c.pools.add(new TablePlan.PoolChange(pool, c.previousPools.getOrDefault(subKey, pool)));
        Scheduling scheduling = sub.findScheduling().orElse(vs.scheduling());
        CompiledSubService.Parts p = new CompiledSubService.Parts();
        p.virtualService = vs.name();
        p.name = sub.name();
        p.pool = pool;
        p.scheduler = scheduler(scheduling, pool, c.previousSchedulers.getOrDefault(subKey, Schedulers.NO_PREVIOUS),
                path, problems);
        p.schedulerName = scheduling.name();
        p.needsHash = scheduling.findMethod().map(m -> m == SchedulingMethod.SOURCE_IP_HASH).orElse(true);
        p.builtIn = scheduling.findMethod().isPresent();
        p.targets = targets;
        p.sorry = sub.findSorryServer().or(vs::findSorryServer)
                .map(a -> new Target(vs.name(), sub.name(), "sorry", a, true)).orElse(null);
        p.requestRules = rules(sub.requestRules(), null, path + ".requestRules", problems);
        CompiledHeaderRule[] own = rules(sub.responseRules(), null, path + ".responseRules", problems);
        CompiledHeaderRule[] inherited = rules(vs.responseRules(), null, vsPath + ".responseRules", problems);
        p.responseRules = concat(own, inherited);
        p.queueCapacity = sub.queueCapacity();
        WaitQueue queue = c.previousQueues.get(subKey);
        // requests waiting in the old table stay in line with those of the new one (a release in either serves them)
        p.queue = queue != null && queue.capacity() == p.queueCapacity ? queue : new WaitQueue(p.queueCapacity);
        p.queueTimeoutNanos = sub.queueTimeout().toNanos();
        p.counters = previous.counters().getOrDefault(subKey, new ServiceCounters());
        p.timer = timer;
        counters.put(subKey, p.counters);
        p.slowStartNanos = slowStartNanos;
        p.outcomes = outcomes;
        p.random = schedulers.random();
        p.detecting = detecting;
        p.detection = sub.findOutlierDetection().orElse(p.detection);
        p.persistence = persistence.compile(vs, sub, path, previous.stores(), stores, problems);
        serves(c, p.persistence.primaryStore(), pool);
        serves(c, p.persistence.fallbackStore(), pool);
        if (p.persistence.mode().isHashed() || p.persistence.fallback().isHashed()) {
            p.hashScheduler = Schedulers.factory(SchedulingMethod.SOURCE_IP_HASH, schedulers).create(pool);
        }
        return new CompiledSubService(p);
    }

    /** Records that {@code store} (when there is one) serves the servers of {@code pool}. */
    private static void serves(Compilation c, PersistenceStore store, Pool pool) {
        if (store != null) {
            Set<Long> ids = c.served.computeIfAbsent(store, s -> new HashSet<>());
            for (int i = 0; i < pool.size(); i++) {
                ids.add(pool.id(i));
            }
        }
    }

    private static CompiledHeaderRule[] concat(CompiledHeaderRule[] a, CompiledHeaderRule[] b) {
        CompiledHeaderRule[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private Scheduler scheduler(Scheduling scheduling, Pool pool, Scheduler previous, String path,
            List<Violation> problems) {
        if (scheduling.findMethod().isPresent()) {
            return Schedulers.create(scheduling.findMethod().get(), pool, schedulers, previous);
        }
        SchedulerFactory factory = scheduling.findCustom().orElseThrow();
        try {
            Scheduler s = factory.create(pool);
            if (s != null) {
                return s;
            }
            problems.add(new Violation(path + ".scheduling",
                    "custom scheduler '" + scheduling.name() + "' returned null"));
        } catch (RuntimeException e) {
            problems.add(new Violation(path + ".scheduling",
                    "custom scheduler '" + scheduling.name() + "' failed: " + e));
        }
        return (servers, hash) -> Scheduler.NONE;
    }

    private static CompiledMatch match(ContentMatch match, String path, List<Violation> problems) {
        for (int i = 0; i < match.rules().size(); i++) {
            try {
                RuleMatcher.compile(match.rules().get(i));
            } catch (IllegalArgumentException e) {
                problems.add(new Violation(path + "[" + i + "].value", e.getMessage()));
            }
        }
        return problems.isEmpty() ? CompiledMatch.compile(match) : CompiledMatch.ALWAYS;
    }

    private static CompiledHeaderRule[] rules(List<HeaderRule> rules, RulePhase phase, String path,
            List<Violation> problems) {
        List<CompiledHeaderRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            HeaderRule rule = rules.get(i);
            if (phase != null && rule.phase() != phase) {
                continue;
            }
            int before = problems.size();
            match(rule.match(), path + "[" + i + "].match", problems);
            try {
                if (problems.size() == before) {
                    out.add(CompiledHeaderRule.compile(rule));
                }
            } catch (IllegalArgumentException e) {
                problems.add(new Violation(path + "[" + i + "].pattern", e.getMessage()));
            }
        }
        return out.toArray(new CompiledHeaderRule[0]);
    }

    /**
     * The pre-authentication of each sub-service of {@code vs} (its own policy, else the virtual service's), or null
     * when none authenticates (the request path then tests one field). Validation made sure that a policy that
     * authenticates has its {@link Authentication}.
     */
    private CompiledAuth[] auths(LoadBalancer model, VirtualService vs) {
        Authentication settings = model.findAuthentication().orElse(null);
        if (settings == null || vs.findRedirect().isPresent()) {
            return null;
        }
        SsoCookies cookies = settings.findSso()
                .map(s -> SsoCookies.of(s, persistence.clock()::seconds, revocations, SsoCookies.DEFAULT_OPEN_CACHE))
                .orElse(null);
        CompiledAuth[] auths = new CompiledAuth[vs.subServices().size()];
        boolean any = false;
        for (int i = 0; i < auths.length; i++) {
            AuthPolicy policy = vs.subServices().get(i).findAuth().orElse(vs.auth());
            auths[i] = new CompiledAuth(policy, settings.realm(), cookies);
            any |= policy.enabled();
        }
        return any ? auths : null;
    }
}
