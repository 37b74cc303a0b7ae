package dev.switchboard.engine.internal.persist;

import dev.switchboard.api.Persistence;
import dev.switchboard.api.PersistenceMode;
import dev.switchboard.api.Problems;
import dev.switchboard.api.SubService;
import dev.switchboard.api.VirtualService;
import dev.switchboard.api.spi.PersistenceStore;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import dev.switchboard.api.spi.Ticker;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;

/**
 * Compiles the persistence of each sub-service, carrying over the stores of the previous configuration: a store
 * is kept when its owner (the sub-service, or the virtual service when its sub-services share persistence), its
 * mode, timeout and bound stay the same, so a reconfiguration keeps the entries of real servers whose names
 * survive. Control plane only; not thread-safe.
 */
public final class PersistenceCompiler {

    private final Ticker ticker;
    private final WallClock clock;
    private final byte[] generatedKey;

    /** @param generatedKey the 16-byte active-cookie key used when a configuration gives no secret */
    public PersistenceCompiler(Ticker ticker, WallClock clock, byte[] generatedKey) {
        this.ticker = ticker;
        this.clock = clock;
        this.generatedKey = generatedKey.clone();
    }

    /**
     * The persistence of {@code sub}: its own, or the virtual service's default.
     *
     * @param previous stores of the previous configuration, by store key
     * @param next where the stores of this configuration are registered
     */
    public CompiledPersistence compile(VirtualService vs, SubService sub, String path, Map<String, PersistenceStore> previous,
            Map<String, PersistenceStore> next, Problems problems) {
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
            Map<String, PersistenceStore> previous, Map<String, PersistenceStore> next, Problems problems) {
        String key = owner + "#" + mode.configName() + "#" + p.timeout() + "#" + p.maxEntries()
                + (p.findStore().isPresent() ? "#custom" : "");
        PersistenceStore store = next.get(key);
        if (store == null) {
            store = previous.get(key);
        }
        if (store == null) {
            PersistenceStoreFactory factory = p.findStore().orElse(PersistenceStores.defaults());
            try {
                store = factory.create(p.timeout(), p.maxEntries(), ticker);
            } catch (RuntimeException e) {
                problems.add(path + ".persistence.store", "the store factory failed: " + e);
                return null;
            }
        }
        next.put(key, store);
        return store;
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
}
