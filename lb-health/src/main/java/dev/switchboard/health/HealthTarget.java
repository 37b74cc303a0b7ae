package dev.switchboard.health;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import dev.switchboard.api.ProxyProtocol;
import java.util.Objects;

/**
 * One real server in one sub-service, checked with one {@link HealthCheck}. Health is per workload: the same
 * server in two sub-services is two targets, each with its own check. Targets whose effective address (the
 * check's port, if set, else the server's), check and probe PROXY protocol header are equal share one probe.
 *
 * <p>{@code proxyProtocol} is the header the server's traffic opens with (the real server's setting, else its
 * sub-service's). Probes of the server's own address send the same version, as HAProxy does for a
 * {@code send-proxy} server: a server that requires the header would otherwise reject every probe. See
 * {@link #probedProxyProtocol()}.
 *
 * <pre>{@code
 * HealthTarget.of("mail", "owa", "ex01", Address.parse("10.0.0.11:443"), owaCheck);
 * HealthTarget.of("mail", "imap", "ex01", Address.parse("10.0.0.11:993"), tlsCheck, ProxyProtocol.V2);
 * }</pre>
 *
 * @param virtualService the virtual service name
 * @param subService the sub-service name
 * @param server the real server name
 * @param address the real server's address
 * @param check how to check it
 * @param proxyProtocol the PROXY protocol header the server's traffic opens with
 */
public record HealthTarget(String virtualService, String subService, String server, Address address,
                           HealthCheck check, ProxyProtocol proxyProtocol) {

    public HealthTarget {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(proxyProtocol, "proxyProtocol");
    }

    /** Creates a target whose traffic carries no PROXY protocol header. */
    public static HealthTarget of(String virtualService, String subService, String server, Address address,
                                  HealthCheck check) {
        return new HealthTarget(virtualService, subService, server, address, check, ProxyProtocol.NONE);
    }

    /** Creates a target whose traffic opens with a PROXY protocol header of {@code proxyProtocol}. */
    public static HealthTarget of(String virtualService, String subService, String server, Address address,
                                  HealthCheck check, ProxyProtocol proxyProtocol) {
        return new HealthTarget(virtualService, subService, server, address, check, proxyProtocol);
    }

    /** The address actually probed: the check's port override applied. */
    public Address probedAddress() {
        return check.port() == 0 ? address : Address.of(address.host(), check.port());
    }

    /**
     * The PROXY protocol header each probe connection opens with: {@link #proxyProtocol()} when the probe goes to
     * the server's own address (no {@link HealthCheck#port() port} override, or the same port) and opens its own
     * connection (HTTP, HTTPS, TCP, TCP agent and HTTP agent checks); else {@link ProxyProtocol#NONE}: another port
     * (typically an agent's) is not the listener that requires the header, and a custom check makes its own
     * connections. This is HAProxy's rule for checks ({@code send-proxy} applies to them unless a check
     * {@code port} or {@code addr} is set).
     */
    public ProxyProtocol probedProxyProtocol() {
        boolean ownAddress = check.port() == 0 || check.port() == address.port();
        return ownAddress && check.type() != HealthCheck.Type.CUSTOM ? proxyProtocol : ProxyProtocol.NONE;
    }

    @Override
    public String toString() {
        ProxyProtocol probed = probedProxyProtocol();
        return virtualService + "/" + subService + "/" + server + " (" + probedAddress()
                + (probed == ProxyProtocol.NONE ? "" : ", PROXY " + probed.configName()) + ")";
    }
}
