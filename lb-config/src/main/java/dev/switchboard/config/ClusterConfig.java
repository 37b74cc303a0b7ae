package dev.switchboard.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code cluster} section of the gateway's configuration file, as written: the fleet this gateway is a member
 * of. The reader checks only the types of its values; what makes a value right (an {@code ip:port} address, a name
 * of {@code [A-Za-z0-9._-]}, a secret for a non-loopback member, the ranges of the durations) is the cluster
 * module's to say, through a {@link ClusterValueCheck}, so that lb-config needs no cluster code. A configuration
 * without a {@code cluster} key has {@link #none()}.
 *
 * <pre>{@code
 * ClusterConfig cluster = ClusterConfig.of("mail-lb", "127.0.0.1:5701", List.of("127.0.0.1:5701", "127.0.0.1:5702"), "")
 *         .withBind("0.0.0.0:5701");
 * }</pre>
 *
 * <p>Immutable and thread-safe. {@link #toString()} never shows the secret.
 */
public final class ClusterConfig {

    private static final ClusterConfig NONE = new ClusterConfig(false, "", "", List.of(), "", Optional.empty(),
            Optional.empty(), Optional.empty());

    private final boolean enabled;
    private final String name;
    private final String member;
    private final List<String> members;
    private final String secret;
    private final Optional<String> bind;
    private final Optional<Duration> batchInterval;
    private final Optional<Duration> syncTimeout;

    private ClusterConfig(boolean enabled, String name, String member, List<String> members, String secret,
            Optional<String> bind, Optional<Duration> batchInterval, Optional<Duration> syncTimeout) {
        this.enabled = enabled;
        this.name = Objects.requireNonNull(name, "name");
        this.member = Objects.requireNonNull(member, "member");
        this.members = List.copyOf(members);
        this.secret = Objects.requireNonNull(secret, "secret");
        this.bind = bind;
        this.batchInterval = batchInterval;
        this.syncTimeout = syncTimeout;
    }

    /**
     * A cluster section with the contract's keys; the optional ones are unset.
     *
     * @param secret the shared secret, empty for none
     * @throws NullPointerException for a null argument or member
     */
    public static ClusterConfig of(String name, String member, List<String> members, String secret) {
        return new ClusterConfig(true, name, member, members, secret, Optional.empty(), Optional.empty(),
                Optional.empty());
    }

    /** No cluster: a single instance. */
    public static ClusterConfig none() {
        return NONE;
    }

    /** This section with {@code bind}, the address the member listens on when it differs from {@link #member}. */
    public ClusterConfig withBind(String bind) {
        return new ClusterConfig(enabled, name, member, members, secret, Optional.of(bind), batchInterval,
                syncTimeout);
    }

    /** This section with {@code batchInterval}, how often queued writes are shipped to the others. */
    public ClusterConfig withBatchInterval(Duration interval) {
        return new ClusterConfig(enabled, name, member, members, secret, bind, Optional.of(interval), syncTimeout);
    }

    /** This section with {@code syncTimeout}, how long a starting member waits for the others' entries. */
    public ClusterConfig withSyncTimeout(Duration timeout) {
        return new ClusterConfig(enabled, name, member, members, secret, bind, batchInterval, Optional.of(timeout));
    }

    /** Whether the file has a {@code cluster} section; false for {@link #none()}. */
    public boolean enabled() {
        return enabled;
    }

    /** {@code name}: the cluster's name, the same on every member. */
    public String name() {
        return name;
    }

    /** {@code member}: this instance's own cluster address, {@code host:port}, as its peers reach it. */
    public String member() {
        return member;
    }

    /** {@code members}: the addresses to find peers at (this member's may be among them). */
    public List<String> members() {
        return members;
    }

    /** {@code secret}: the shared secret; empty when the file gives none. */
    public String secret() {
        return secret;
    }

    /** {@code bind}: the address to listen on when it is not {@link #member} (NAT, port forwarding, a relay). */
    public Optional<String> findBind() {
        return bind;
    }

    /** {@code batchInterval}, when the file sets it. */
    public Optional<Duration> findBatchInterval() {
        return batchInterval;
    }

    /** {@code syncTimeout}, when the file sets it. */
    public Optional<Duration> findSyncTimeout() {
        return syncTimeout;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClusterConfig c && enabled == c.enabled && name.equals(c.name) && member.equals(c.member)
                && members.equals(c.members) && secret.equals(c.secret) && bind.equals(c.bind)
                && batchInterval.equals(c.batchInterval) && syncTimeout.equals(c.syncTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(enabled, name, member, members, secret, bind, batchInterval, syncTimeout);
    }

    /** The section without its secret: {@code cluster mail-lb member 127.0.0.1:5701 members [...] secret set}. */
    @Override
    public String toString() {
        if (!enabled) {
            return "no cluster";
        }
        return "cluster " + name + " member " + member + bind.map(b -> " bind " + b).orElse("") + " members "
                + members + (secret.isEmpty() ? " no secret" : " secret set")
                + batchInterval.map(d -> " batchInterval " + Durations.format(d)).orElse("")
                + syncTimeout.map(d -> " syncTimeout " + Durations.format(d)).orElse("");
    }
}
