package dev.switchboard.api;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration: the virtual services. Immutable and thread-safe; hand it to the engine, and build a
 * new one to reconfigure.
 *
 * <pre>{@code
 * LoadBalancer lb = LoadBalancer.builder()
 *     .virtualService(VirtualService.builder("mail").listen("0.0.0.0:443").protocol(Protocol.HTTPS)
 *         .subService(SubService.builder("owa").matchAny(ContentRule.pathPrefix("/owa").ignoreCase())
 *             .realServer(RealServer.of("ex01", "10.0.0.11:443")).build())
 *         .build())
 *     .build();   // throws ConfigurationException listing every problem with its path
 * }</pre>
 */
public final class LoadBalancer {

    private final List<VirtualService> virtualServices;
    private final Authentication authentication;

    private LoadBalancer(List<VirtualService> virtualServices, Authentication authentication) {
        this.virtualServices = List.copyOf(virtualServices);
        this.authentication = authentication;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<VirtualService> virtualServices() {
        return virtualServices;
    }

    /** The pre-authentication settings, when any virtual service authenticates its clients. */
    public Optional<Authentication> findAuthentication() {
        return Optional.ofNullable(authentication);
    }

    /** The virtual service named {@code name}. */
    public Optional<VirtualService> findVirtualService(String name) {
        return virtualServices.stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /**
     * Equal when every virtual service is equal: the engine skips a reconfiguration whose model equals the one in
     * force.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LoadBalancer other)) {
            return false;
        }
        return virtualServices.equals(other.virtualServices) && Objects.equals(authentication, other.authentication);
    }

    @Override
    public int hashCode() {
        return virtualServices.hashCode() * 31 + Objects.hashCode(authentication);
    }

    /** Builds a {@link LoadBalancer}. Not thread-safe. */
    public static final class Builder {
        private final List<VirtualService> virtualServices = new ArrayList<>();
        private Authentication authentication;

        private Builder() {
        }

        /** The pre-authentication settings (realm, SSO cookie) of every virtual service with an {@link AuthPolicy}. */
        public Builder authentication(Authentication authentication) {
            this.authentication = Objects.requireNonNull(authentication, "authentication");
            return this;
        }

        public Builder virtualService(VirtualService virtualService) {
            virtualServices.add(Objects.requireNonNull(virtualService, "virtualService"));
            return this;
        }

        /**
         * Validates the whole model and builds it.
         *
         * @throws ConfigurationException listing every violation, each with its path
         */
        public LoadBalancer build() {
            Problems problems = new Problems();
            Set<String> names = new HashSet<>();
            for (int i = 0; i < virtualServices.size(); i++) {
                VirtualService vs = virtualServices.get(i);
                String path = "virtualServices[" + i + "]";
                vs.validate(path, problems);
                if (!names.add(vs.name())) {
                    problems.add(path + ".name", "'" + vs.name() + "' is used twice");
                }
            }
            SharedAddresses.validate(virtualServices, problems);
            AuthPolicies.validate(virtualServices, authentication, problems);
            problems.throwIfAny();
            return new LoadBalancer(virtualServices, authentication);
        }
    }
}
