package dev.switchboard.api.spi;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What an engine shares with the other instances of a fleet (several gateways behind one name, an HA pair): its
 * persistence tables, the key of its active cookies and its admin states. {@code lb-cluster}'s
 * {@code ClusterMember.fleet()} implements it; a single instance needs none (the engine's default is an island).
 * Every method has a default that keeps the engine on its own, so an implementation overrides what it shares.
 *
 * <p>Called by the engine on its control plane (configuration, admin calls), never on the request path; the
 * objects it hands out (stores) are used on the request path and must follow {@link PersistenceStore}'s rules.
 *
 * <pre>{@code
 * DispatchEngine engine = DispatchEngine.builder(model).fleet(member.fleet()).build();
 * }</pre>
 */
public interface Fleet {

    /** The island: shares nothing. */
    Fleet NONE = new Fleet() { };

    /**
     * The store factory for one persistence table, asked when a configuration creates the table (a table kept by a
     * reconfiguration is not asked for again), for every table whose persistence does not name a store of its own.
     *
     * @param table the table's name, the same on every instance that has the same configuration:
     *              {@code <virtualService>[/<subService>]#<mode>} ({@code mail/owa#source-ip})
     * @return the factory, or null for the engine's built-in table
     */
    default PersistenceStoreFactory persistenceStore(String table) {
        return null;
    }

    /**
     * The 16-byte key that signs active cookies of persistences that give no {@code cookieSecret}, the same on every
     * member so that each accepts the others' cookies; asked once when the engine is built (it may wait briefly for
     * the other members, never indefinitely). A persistence that gives a {@code cookieSecret} uses that secret
     * instead, so every member must then be configured with the same one.
     *
     * @return the key, or null to let the engine draw one of its own
     */
    default byte[] cookieKey() {
        return null;
    }

    /**
     * Called once when the engine is built, with the engine's way to apply the admin states set on other members.
     * The fleet applies the states already set in the fleet before it returns (it may wait briefly for the other
     * members, never indefinitely), and afterwards every change another member ships. A fleet that serves one engine
     * replaces an earlier sink with a later one. Must not throw (the engine logs and ignores an exception).
     */
    default void attach(AdminStateSink sink) {
    }

    /**
     * Called after a reconfiguration of the attached engine swapped in a table that adds real servers (a server, or a
     * whole sub-service, the previous configuration lacked), with a sink that applies to those added servers only.
     * The fleet applies through it the admin states in force in the fleet, oldest first, without shipping them again,
     * so that an added server takes the state an operator set for it through the fleet (a fleet state is a live admin
     * state, like one set through this engine's admin API). Servers the configuration keeps are not concerned: they
     * keep their live state, or take the {@code state} the new configuration edits, on this member only.
     *
     * <p>Called outside the engine's locks, in the order of the reconfigurations. Must return at once: the fleet
     * applies from what it already knows, on a thread of its own (or after a bounded wait there), never with a
     * network round trip on the caller's thread. Must not throw (the engine logs and ignores an exception). The
     * default does nothing (states set later still apply through the sink given to {@link #attach}).
     *
     * @param added applies to the servers that reconfiguration added, and concerns no other; after the engine
     *              closed, or for a server a later reconfiguration removed, it applies nothing
     */
    default void reconfigured(AdminStateSink added) {
    }

    /**
     * An operator set an admin state on this engine (it is already applied here): ship it to the other members,
     * which apply it through their sinks. Must return at once (or after a brief bounded wait), never block on a
     * slow or gone member.
     *
     * @return a stage that completes with true when the servers concerned have no active leases on every other live
     *         member (at once for {@link dev.switchboard.api.AdminState#ENABLED} or when there is no other member;
     *         a member whose configuration has no such server counts as drained; a member that leaves is not waited
     *         for), or with false when {@code drainDeadline} passes first; it never completes exceptionally (the
     *         engine treats a stage that does, or a call that throws, as false)
     */
    default CompletionStage<Boolean> adminStateSet(AdminStateChange change, Duration drainDeadline) {
        return CompletableFuture.completedFuture(true);
    }
}
