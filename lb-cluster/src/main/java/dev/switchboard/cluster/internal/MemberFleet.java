package dev.switchboard.cluster.internal;

import dev.switchboard.api.spi.AdminStateChange;
import dev.switchboard.api.spi.AdminStateSink;
import dev.switchboard.api.spi.Fleet;
import dev.switchboard.api.spi.PersistenceStoreFactory;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A cluster member as an engine's {@link Fleet}: replicated persistence tables, the shared active-cookie key
 * ({@link SharedCookieKey}, waited for at most 5 s) and cluster-wide admin states ({@link AdminStates}).
 * Thread-safe.
 */
public final class MemberFleet implements Fleet {

    private static final Duration COOKIE_KEY_WAIT = Duration.ofSeconds(5);

    private final Function<String, PersistenceStoreFactory> stores;
    private final AdminStates adminStates;
    private final SharedCookieKey cookieKey;

    public MemberFleet(Function<String, PersistenceStoreFactory> stores, AdminStates adminStates,
            SharedCookieKey cookieKey) {
        this.stores = stores;
        this.adminStates = adminStates;
        this.cookieKey = cookieKey;
    }

    @Override
    public PersistenceStoreFactory persistenceStore(String table) {
        return stores.apply(table);
    }

    @Override
    public byte[] cookieKey() {
        return cookieKey.get(COOKIE_KEY_WAIT);
    }

    @Override
    public void attach(AdminStateSink sink) {
        adminStates.attach(sink);
    }

    @Override
    public void reconfigured(AdminStateSink added) {
        adminStates.reconfigured(added);
    }

    @Override
    public CompletionStage<Boolean> adminStateSet(AdminStateChange change, Duration drainDeadline) {
        return adminStates.shipped(change, drainDeadline);
    }
}
