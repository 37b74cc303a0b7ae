package dev.switchboard.engine.internal.snapshot;

import dev.switchboard.api.spi.Scheduler;
import dev.switchboard.engine.internal.persist.Keys;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks a server of one sub-service and takes its slot: the sub-service's scheduler, or the hash scheduler when
 * persistence gives a hash key; a few attempts when the slot is taken between the pick and the acquire; the pick of
 * a custom scheduler checked for eligibility, and its exceptions logged once and treated as no pick. Thread-safe.
 */
final class Picker {

    private static final Logger LOG = LoggerFactory.getLogger(CompiledSubService.class);
    private static final int PICK_ATTEMPTS = 4;

    private final String virtualService;
    private final String name;
    private final Pool pool;
    private final int size;
    private final Scheduler scheduler;
    private final String schedulerName;
    private final boolean builtIn;
    private final PersistentPick persistence;
    private final AtomicBoolean failureLogged = new AtomicBoolean();

    Picker(String virtualService, String name, Pool pool, int size, Scheduler scheduler, String schedulerName,
            boolean builtIn, PersistentPick persistence) {
        this.virtualService = virtualService;
        this.name = name;
        this.pool = pool;
        this.size = size;
        this.scheduler = scheduler;
        this.schedulerName = schedulerName;
        this.builtIn = builtIn;
        this.persistence = persistence;
    }

    Scheduler scheduler() {
        return scheduler;
    }

    /** The index of the server picked, its slot taken (not in a dry run), or {@link Scheduler#NONE}. */
    int acquire(long primaryKey, long fallbackKey, long hash, boolean dryRun) {
        long hashKey = persistence.persistence().enabled() ? persistence.hashKey(primaryKey, fallbackKey) : Keys.NO_KEY;
        return hashKey == Keys.NO_KEY ? acquire(scheduler, hash, dryRun)
                : acquire(persistence.hashScheduler(), hashKey, dryRun);
    }

    private int acquire(Scheduler scheduler, long hash, boolean dryRun) {
        for (int attempt = 0; attempt < PICK_ATTEMPTS; attempt++) {
            int i;
            try {
                i = scheduler.pick(pool, hash);
            } catch (RuntimeException e) {
                if (failureLogged.compareAndSet(false, true)) {
                    LOG.warn("scheduler {} of {}/{} threw; treating as no pick (logged once)", schedulerName,
                            virtualService, name, e);
                } else {
                    LOG.debug("scheduler {} of {}/{} threw: {}", schedulerName, virtualService, name, e.toString());
                }
                return Scheduler.NONE;
            }
            if (i < 0 || i >= size) {
                return Scheduler.NONE;
            }
            if (!builtIn && !pool.isEligible(i)) {
                continue; // a custom scheduler that ignored eligibility (built-ins checked it during the pick)
            }
            if (dryRun || pool.state(i).tryAcquire()) {
                return i;
            }
        }
        return Scheduler.NONE;
    }

    /** Whether some server would take a new request now (eligible, below its limit). */
    boolean anyAcceptsNew() {
        for (int i = 0; i < pool.size(); i++) {
            if (pool.isEligible(i)) {
                return true;
            }
        }
        return false;
    }
}
