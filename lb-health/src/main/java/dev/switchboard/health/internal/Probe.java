package dev.switchboard.health.internal;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import java.util.function.Consumer;

/** Runs one check against one address without blocking the caller; calls back exactly once with the outcome. */
public interface Probe extends AutoCloseable {

    /**
     * Probes {@code address} with {@code check}, opening each new connection with a PROXY protocol header of
     * {@code proxyProtocol} ({@link ProbeProxyHeader}; none for {@link ProxyProtocol#NONE}). A probe that opens no
     * connection of its own (a custom check) ignores it.
     */
    void probe(Address address, HealthCheck check, ProxyProtocol proxyProtocol, Consumer<ProbeOutcome> callback);

    /** {@link #probe(Address, HealthCheck, ProxyProtocol, Consumer)} without a PROXY protocol header. */
    default void probe(Address address, HealthCheck check, Consumer<ProbeOutcome> callback) {
        probe(address, check, ProxyProtocol.NONE, callback);
    }

    /**
     * Drops what the probe keeps between probes of {@code check} on {@code address} with {@code proxyProtocol} (a
     * kept connection): no target uses them any more. A probe in flight still reports. Nothing by default.
     */
    default void release(Address address, HealthCheck check, ProxyProtocol proxyProtocol) {
    }

    /** {@link #release(Address, HealthCheck, ProxyProtocol)} of probes sent without a PROXY protocol header. */
    default void release(Address address, HealthCheck check) {
        release(address, check, ProxyProtocol.NONE);
    }

    @Override
    void close();
}
