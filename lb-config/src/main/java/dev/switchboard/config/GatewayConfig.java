package dev.switchboard.config;

import dev.switchboard.netty.settings.ListenerSettings;

import dev.switchboard.api.LoadBalancer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a reference gateway runs from: the engine's model, one {@link ListenerSettings} per virtual service
 * (same order as the model; its sub-services carry their health checks), the admin API, the fleet it is a member
 * of ({@link ClusterConfig#none()} for a single instance), and the directory of pre-authentication: LDAP or RADIUS
 * ({@link LdapSettings#none()}, {@link RadiusSettings#none()} without one; the realm and SSO cookie are in the
 * model's {@code findAuthentication()}).
 * Read from JSON by {@link GatewayConfigReader}, or built in code. Immutable; thread-safe.
 */
public record GatewayConfig(AdminSettings admin, LoadBalancer loadBalancer, List<ListenerSettings> listeners,
        ClusterConfig cluster, LdapSettings ldap, RadiusSettings radius) {

    public GatewayConfig {
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(loadBalancer, "loadBalancer");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(ldap, "ldap");
        Objects.requireNonNull(radius, "radius");
    }

    /** A gateway whose directory (if any) is LDAP. */
    public GatewayConfig(AdminSettings admin, LoadBalancer loadBalancer, List<ListenerSettings> listeners,
            ClusterConfig cluster, LdapSettings ldap) {
        this(admin, loadBalancer, listeners, cluster, ldap, RadiusSettings.none());
    }

    /** Whether the file names a directory to check credentials against ({@code ldap} or {@code radius}). */
    public boolean hasDirectory() {
        return ldap.enabled() || radius.enabled();
    }

    /** A gateway without a directory. */
    public GatewayConfig(AdminSettings admin, LoadBalancer loadBalancer, List<ListenerSettings> listeners,
            ClusterConfig cluster) {
        this(admin, loadBalancer, listeners, cluster, LdapSettings.none());
    }

    /** A single instance (no cluster). */
    public GatewayConfig(AdminSettings admin, LoadBalancer loadBalancer, List<ListenerSettings> listeners) {
        this(admin, loadBalancer, listeners, ClusterConfig.none());
    }

    /** The {@code cluster} section, if the gateway is a member of a fleet. */
    public Optional<ClusterConfig> findCluster() {
        return cluster.enabled() ? Optional.of(cluster) : Optional.empty();
    }

    /** The listener of the virtual service {@code name}, if it has one. */
    public Optional<ListenerSettings> findListener(String name) {
        return listeners.stream().filter(l -> l.virtualService().equals(name)).findFirst();
    }
}
