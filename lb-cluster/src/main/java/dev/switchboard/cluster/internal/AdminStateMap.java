package dev.switchboard.cluster.internal;

import com.hazelcast.config.Config;
import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's map of current admin states (key: {@link AdminWire#key}; value: the signed state message), so that a
 * member that joins or restarts finds them. Its calls can wait for a member that is gone, so they run on a thread of
 * their own and callers wait for them only with bounded timeouts. Thread-safe.
 */
final class AdminStateMap implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AdminStateMap.class);
    static final String MAP = "switchboard.admin-states";
    private static final int WRITE_TRIES = 8;

    private final Secrets secrets;
    private final IMap<String, byte[]> states;
    private final ExecutorService thread;

    AdminStateMap(HazelcastInstance hz, Secrets secrets) {
        this.secrets = secrets;
        this.states = hz.getMap(MAP);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "switchboard-admin-map-" + hz.getName());
            t.setDaemon(true);
            return t;
        });
    }

    /** Adds the map's settings: a synchronous backup and asynchronous ones, so states outlive all but one member. */
    static void configure(Config config) {
        config.addMapConfig(new MapConfig(MAP).setBackupCount(1).setAsyncBackupCount(5));
    }

    /**
     * Writes {@code state} unless the map holds a newer one for {@code key}, on the map's thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException when closed
     */
    CompletableFuture<Void> write(String key, long stamp, byte[] state) {
        return CompletableFuture.runAsync(() -> {
            for (int i = 0; i < WRITE_TRIES; i++) {
                byte[] old = states.get(key);
                AdminWire.Message current = AdminWire.read(secrets, old);
                if (current != null && current.stamp() >= stamp) {
                    return;
                }
                if (old == null ? states.putIfAbsent(key, state) == null : states.replace(key, old, state)) {
                    return;
                }
            }
            LOG.warn("cluster: admin state of {} not stored after {} tries (concurrent writes)",
                    key.replace('\n', '/'), WRITE_TRIES);
        }, thread);
    }

    /**
     * Every value of the map, read on the map's thread.
     *
     * @throws java.util.concurrent.RejectedExecutionException when closed
     */
    CompletableFuture<List<byte[]>> values() {
        return CompletableFuture.supplyAsync(() -> List.copyOf(states.values()), thread);
    }

    /** Stops the map's thread; the map stays in the cluster. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
