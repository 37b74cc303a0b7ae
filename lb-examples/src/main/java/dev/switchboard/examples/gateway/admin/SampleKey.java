package dev.switchboard.examples.gateway.admin;

import java.util.Objects;

/**
 * Where a sample is from: a virtual service ({@code subService} and {@code server} empty), a sub-service
 * ({@code server} empty) or a real server in one sub-service. Immutable.
 *
 * @param virtualService the virtual service's name
 * @param subService     the sub-service's name, or empty
 * @param server         the real server's name, or empty
 */
record SampleKey(String virtualService, String subService, String server) {

    SampleKey {
        Objects.requireNonNull(virtualService, "virtualService");
        Objects.requireNonNull(subService, "subService");
        Objects.requireNonNull(server, "server");
    }

    static SampleKey of(String virtualService) {
        return new SampleKey(virtualService, "", "");
    }

    static SampleKey of(String virtualService, String subService) {
        return new SampleKey(virtualService, subService, "");
    }
}
