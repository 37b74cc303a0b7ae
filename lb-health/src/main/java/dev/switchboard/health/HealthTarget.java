package dev.switchboard.health;

import dev.switchboard.api.Address;
import dev.switchboard.api.HealthCheck;
import java.util.Objects;

/**
 * One real server in one sub-service, checked with one {@link HealthCheck}. Health is per workload: the same
 * server in two sub-services is two targets, each with its own check. Targets whose effective address (the
 * check's port, if set, else the server's) and check are equal share one probe.
 *
 * <pre>{@code HealthTarget.of("mail", "owa", "ex01", Address.parse("10.0.0.11:443"), owaCheck)}</pre>
 *
 * @param virtualService the virtual service name
 * @param subService the sub-service name
 * @param server the real server name
 * @param address the real server's address
 * @param check how to check it
 */
public record HealthTarget(String virtualService, String subService, String server, Address address,
                           HealthCheck check) {

    public HealthTarget {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(check, "check");
    }

    /** Creates a target. */
    public static HealthTarget of(String virtualService, String subService, String server, Address address,
                                  HealthCheck check) {
        return new HealthTarget(virtualService, subService, server, address, check);
    }

    /** The address actually probed: the check's port override applied. */
    public Address probedAddress() {
        return check.port() == 0 ? address : Address.of(address.host(), check.port());
    }

    @Override
    public String toString() {
        return virtualService + "/" + subService + "/" + server + " (" + probedAddress() + ")";
    }
}
