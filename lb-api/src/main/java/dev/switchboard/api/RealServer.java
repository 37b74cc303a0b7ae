package dev.switchboard.api;

import java.util.Objects;
import java.util.Optional;

/**
 * One backend endpoint in a sub-service's pool. Immutable; create with {@link #of(String, String)} or
 * {@link #builder(String, String)}. Values are range-checked by {@link LoadBalancer.Builder#build()}.
 *
 * <pre>{@code
 * RealServer.builder("ex01", "10.0.0.11:443").weight(2).maxConnections(500).build()
 * RealServer.builder("dr01", "10.1.0.11:443").backup().build()
 * }</pre>
 */
public final class RealServer {

    /** The largest weight. */
    public static final int MAX_WEIGHT = 65_535;

    private final String name;
    private final Address address;
    private final int weight;
    private final int maxConnections;
    private final AdminState initialState;
    private final boolean backup;
    private final ProxyProtocol proxyProtocol;

    private RealServer(Builder b) {
        this.name = b.name;
        this.address = b.address;
        this.weight = b.weight;
        this.maxConnections = b.maxConnections;
        this.initialState = b.initialState;
        this.backup = b.backup;
        this.proxyProtocol = b.proxyProtocol;
    }

    /** An enabled primary server of weight 1 with no connection limit. */
    public static RealServer of(String name, String address) {
        return builder(name, address).build();
    }

    /**
     * A builder.
     *
     * @throws IllegalArgumentException when {@code address} is not {@code host:port}
     */
    public static Builder builder(String name, String address) {
        return new Builder(name, Address.parse(address));
    }

    /** A builder. */
    public static Builder builder(String name, Address address) {
        return new Builder(name, address);
    }

    /** The name, unique within a pool; the same name in several pools means the same host. */
    public String name() {
        return name;
    }

    public Address address() {
        return address;
    }

    /** 0..65535; 0 takes no new traffic. */
    public int weight() {
        return weight;
    }

    /** The most leases at once, 0 for no limit. */
    public int maxConnections() {
        return maxConnections;
    }

    /** The admin state the server starts in. */
    public AdminState initialState() {
        return initialState;
    }

    /** Whether the server takes traffic only while too few primaries are eligible. */
    public boolean isBackup() {
        return backup;
    }

    /**
     * The PROXY protocol header this server's connections open with, if set here; it wins over the sub-service's
     * {@link SubService#proxyProtocol()} ({@link ProxyProtocol#NONE} here turns it off for this server).
     */
    public Optional<ProxyProtocol> findProxyProtocol() {
        return Optional.ofNullable(proxyProtocol);
    }

    void validate(String path, Problems problems) {
        if (!Names.isValid(name)) {
            problems.add(path + ".name", "'" + name + "' (expected: 1..64 of A-Z a-z 0-9 . _ -)");
        }
        if (weight < 0 || weight > MAX_WEIGHT) {
            problems.add(path + ".weight", weight + " (expected: 0.." + MAX_WEIGHT + ")");
        }
        if (maxConnections < 0) {
            problems.add(path + ".maxConnections", maxConnections + " (expected: 0 for no limit, or more)");
        }
    }

    /**
     * Equal when every setting is equal: the engine skips a reconfiguration whose model equals the one in
     * force.
     */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RealServer other)) {
            return false;
        }
        return Objects.equals(name, other.name)
                && Objects.equals(address, other.address)
                && weight == other.weight
                && maxConnections == other.maxConnections
                && Objects.equals(initialState, other.initialState)
                && backup == other.backup
                && proxyProtocol == other.proxyProtocol;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, address, weight, maxConnections, initialState, backup, proxyProtocol);
    }

    @Override
    public String toString() {
        return name + "(" + address + ", weight " + weight + (backup ? ", backup" : "") + ")";
    }

    /** Builds a {@link RealServer}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Address address;
        private int weight = 1;
        private int maxConnections;
        private AdminState initialState = AdminState.ENABLED;
        private boolean backup;
        private ProxyProtocol proxyProtocol;

        private Builder(String name, Address address) {
            this.name = Objects.requireNonNull(name, "name");
            this.address = Objects.requireNonNull(address, "address").requireConcretePort("address");
        }

        /** 0..65535, default 1; 0 takes no new traffic. */
        public Builder weight(int weight) {
            this.weight = weight;
            return this;
        }

        /** The most leases at once; 0 (the default) for no limit. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** The admin state to start in, default {@link AdminState#ENABLED}. */
        public Builder initialState(AdminState state) {
            this.initialState = Objects.requireNonNull(state, "state");
            return this;
        }

        /** Makes this a backup server. */
        public Builder backup() {
            this.backup = true;
            return this;
        }

        /** Opens this server's connections with a PROXY protocol header (see {@link #findProxyProtocol()}). */
        public Builder proxyProtocol(ProxyProtocol version) {
            this.proxyProtocol = Objects.requireNonNull(version, "proxyProtocol");
            return this;
        }

        public RealServer build() {
            return new RealServer(this);
        }
    }
}
