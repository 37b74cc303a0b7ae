package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.SubService;
import dev.switchboard.api.Violation;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.Fleet;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import dev.switchboard.api.spi.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles the persistence of each sub-service, carrying over the stores of the previous configuration: a store
 * is kept when its owner (the sub-service, or the virtual service when its sub-services share persistence) and its
 * mode stay the same (and it stays built-in or custom), so a reconfiguration keeps the entries of real servers
 * whose names survive. When only the idle timeout or the bound changes, the store is kept and changed in place
 * ({@link PersistenceStore#reconfigure}) once the new configuration is accepted ({@link #commit}); a store that
 * cannot be changed in place is replaced by a new one. A kept store whose pools lose real servers drops their
 * entries ({@link PersistenceStore#removeServers}) at the same point. Control plane only; not thread-safe.
 */
public final class PersistenceCompiler {

    private static final Logger LOG = LoggerFactory.getLogger(PersistenceCompiler.class);

    private final Ticker ticker;
    private final WallClock clock;
    private final byte[] generatedKey;
    private final Fleet fleet;

    /** @param generatedKey the 16-byte active-cookie key used when a configuration gives no secret */
    public PersistenceCompiler(Ticker ticker, WallClock clock, byte[] generatedKey) {
        this(ticker, clock, generatedKey, Fleet.NONE);
    }

    /**
     * @param generatedKey the 16-byte active-cookie key used when a configuration gives no secret
     * @param fleet supplies the tables of persistences that name no store ({@link Fleet#persistenceStore})
     */
    public PersistenceCompiler(Ticker ticker, WallClock clock, byte[] generatedKey, Fleet fleet) {
        this.ticker = ticker;
        this.clock = clock;
        this.generatedKey = generatedKey.clone();
        this.fleet = fleet;
    }

    /** A store's idle timeout and bound. */
    private record Settings(Duration timeout, int maxEntries) {
    }

    /** The settings each live store has now, by identity. */
    private final Map<PersistenceStore, Settings> applied = new IdentityHashMap<>();
    /** The server ids of the pools each live store served when its configuration was committed, by identity. */
    private final Map<PersistenceStore, Set<Long>> servedIds = new IdentityHashMap<>();
    /** The settings the configuration being compiled wants, by identity; applied by {@link #commit}. */
    private final Map<PersistenceStore, Settings> wanted = new IdentityHashMap<>();

    /**
     * The persistence of {@code sub}: its own, or the virtual service's default.
     *
     * @param previous stores of the previous configuration, by store key
     * @param next where the stores of this configuration are registered
     */
    public CompiledPersistence compile(VirtualService vs, SubService sub, String path,
            Map<String, PersistenceStore> previous, Map<String, PersistenceStore> next, List<Violation> problems) {
        Persistence p = sub.findPersistence().orElse(vs.persistence());
        if (p.mode() == PersistenceMode.NONE) {
            return CompiledPersistence.NONE;
        }
        String owner = sub.findPersistence().isEmpty() && p.shared() ? vs.name() : vs.name() + "/" + sub.name();
        PersistenceStore primary = p.mode().usesTable()
                ? store(p, p.mode(), owner, path, previous, next, problems) : null;
        PersistenceStore fallback = p.fallback().usesTable()
                ? store(p, p.fallback(), owner, path, previous, next, problems) : null;
        SipHash mac = p.mode() == PersistenceMode.ACTIVE_COOKIE ? new SipHash(key(p, owner)) : null;
        // the cookie carries exactly the configured name: owners that share a name keep one entry each in its value
        // (ActiveCookie), and learned server cookies are looked up in the owner's own store
        return new CompiledPersistence(p, p.cookieName(), primary, fallback, mac, clock);
    }

    private PersistenceStore store(Persistence p, PersistenceMode mode, String owner, String path,
            Map<String, PersistenceStore> previous, Map<String, PersistenceStore> next, List<Violation> problems) {
        String key = owner + "#" + mode.configName() + (p.findStore().isPresent() ? "#custom" : "");
        Settings settings = new Settings(p.timeout(), p.maxEntries());
        PersistenceStore store = next.get(key);
        if (store == null) {
            store = previous.get(key);
            if (store != null && !settings.equals(applied.get(store)) && !canReconfigure(store, settings)) {
                store = null; // its timeout or bound changes and it cannot follow: a new store
            }
        }
        if (store == null) {
            PersistenceStoreFactory factory;
            try {
                factory = p.findStore().orElseGet(() -> fleetStore(owner + "#" + mode.configName()));
                store = factory.create(p.timeout(), p.maxEntries(), ticker);
            } catch (RuntimeException e) {
                problems.add(new Violation(path + ".persistence.store", "the store factory failed: " + e));
                return null;
            }
            applied.put(store, settings);
        }
        wanted.put(store, settings);
        next.put(key, store);
        return store;
    }

    private PersistenceStoreFactory fleetStore(String table) {
        PersistenceStoreFactory shared = fleet.persistenceStore(table);
        return shared != null ? shared : PersistenceStores.defaults();
    }

    private static boolean canReconfigure(PersistenceStore store, Settings settings) {
        try {
            return store.canReconfigure(settings.timeout(), settings.maxEntries());
        } catch (RuntimeException e) {
            LOG.warn("persistence store {} failed canReconfigure; replacing it", store.getClass().getName(), e);
            return false;
        }
    }

    /**
     * Applies the timeouts and bounds of the configuration just compiled to the stores it kept ({@code live}: the
     * stores of the new routing table), and asks each kept store to drop the entries of the servers its pools had
     * under the previous configuration and no longer have ({@link PersistenceStore#removeServers}); call once the
     * configuration is accepted, before it is published. A store that throws keeps its old settings, or its
     * entries (logged). Forgets the stores that are no longer live.
     *
     * @param served the server ids of the pools each live store serves in the new configuration, by identity
     */
    public void commit(Collection<PersistenceStore> live, Map<PersistenceStore, Set<Long>> served) {
        Set<PersistenceStore> alive = Collections.newSetFromMap(new IdentityHashMap<>());
        alive.addAll(live);
        for (PersistenceStore store : alive) {
            Settings want = wanted.get(store);
            if (want != null && !want.equals(applied.get(store))) {
                reconfigure(store, want);
            }
            Set<Long> now = served.get(store);
            if (now != null) {
                Set<Long> before = servedIds.put(store, Set.copyOf(now));
                if (before != null) {
                    dropRemoved(store, before, now);
                }
            }
        }
        applied.keySet().retainAll(alive);
        servedIds.keySet().retainAll(alive);
        wanted.clear();
    }

    private void reconfigure(PersistenceStore store, Settings want) {
        try {
            store.reconfigure(want.timeout(), want.maxEntries());
            applied.put(store, want);
            LOG.info("persistence store {} reconfigured in place: timeout {}, maxEntries {}",
                    store.getClass().getSimpleName(), want.timeout(), want.maxEntries());
        } catch (RuntimeException e) {
            LOG.warn("persistence store {} failed to reconfigure; it keeps its settings", store, e);
        }
    }

    private static void dropRemoved(PersistenceStore store, Set<Long> before, Set<Long> now) {
        long[] removed = before.stream().filter(id -> !now.contains(id)).mapToLong(Long::longValue).sorted().toArray();
        if (removed.length == 0) {
            return;
        }
        try {
            store.removeServers(removed);
            LOG.info("persistence store {}: dropped the entries of {} removed real server(s)",
                    store.getClass().getSimpleName(), removed.length);
        } catch (RuntimeException e) {
            LOG.warn("persistence store {} failed to drop the entries of removed servers; they expire as usual",
                    store, e);
        }
    }

    /**
     * The active-cookie key of one owner: SHA-256 of the secret (or the generated key) and the owner's name, so
     * that a cookie of one sub-service never verifies in another.
     */
    private byte[] key(Persistence p, String owner) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(p.cookieSecret().isEmpty() ? generatedKey : p.cookieSecret().getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(owner.getBytes(StandardCharsets.UTF_8));
            return Arrays.copyOf(sha.digest(), 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The epoch-seconds clock of cookie expiry (shared with the SSO cookies of pre-authentication). */
    public WallClock clock() {
        return clock;
    }
}
