package dev.switchboard.config;

import dev.switchboard.api.Violation;

import java.util.List;

/**
 * Checks the values of a {@code cluster} section that {@link GatewayConfigReader} has read. The reader knows only
 * their types; the cluster module knows the rules (the gateway builds a {@code ClusterMember} from the section, which
 * refuses what is wrong), so lb-config carries no cluster code and no rule is written twice. The reader turns each
 * violation into an error line of the file, {@code cluster.member: expected a port from 1 to 65535 (got
 * "127.0.0.1:0")}, like its own.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfigReader.read(file, cluster -> ClusterValues.problems(cluster));
 * }</pre>
 *
 * <p>Implementations must be stateless and thread-safe and must not start anything: they run during
 * {@code --check}.
 */
@FunctionalInterface
public interface ClusterValueCheck {

    /** Checks nothing: only the types are read (a reader that will not run a cluster). */
    ClusterValueCheck NONE = cluster -> List.of();

    /**
     * Every problem of {@code cluster}'s values, each with a path relative to the section ({@code member},
     * {@code members[1]}, {@code secret}) and a message that names the value
     * ({@code '127.0.0.1:0' (expected: a port from 1 to 65535)}); empty when it is fine.
     *
     * @param cluster a section whose values have the right types ({@link ClusterConfig#enabled()} is true)
     */
    List<Violation> problems(ClusterConfig cluster);
}
