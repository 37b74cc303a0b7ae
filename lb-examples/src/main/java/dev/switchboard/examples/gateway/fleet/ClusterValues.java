package dev.switchboard.examples.gateway.fleet;

import dev.switchboard.api.Violation;
import dev.switchboard.cluster.ClusterMember;
import dev.switchboard.config.ClusterConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Judges the values of a configuration file's {@code cluster} section with the cluster module's own rules: it builds
 * (never starts) a {@link ClusterMember} from them. {@code build()} stops at the first bad value, so each value is
 * tried on its own, the others set to ones that pass, and every bad value is reported: a bad name, a member, bind or
 * members address that is not {@code ip:port} with a port 1 to 65535, a non-loopback member without a secret,
 * durations out of range.
 *
 * <pre>{@code
 * GatewayConfig config = GatewayConfigReader.read(file, ClusterValues::problems);
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ClusterValues {

    /** Values that pass, standing in for the ones not being tried. */
    private static final String GOOD_NAME = "check";
    private static final String GOOD_MEMBER = "127.0.0.1:5701";
    private static final String GOOD_SECRET = "check";

    private ClusterValues() {
    }

    /**
     * Every bad value of {@code cluster}, each at its path in the section ({@code name}, {@code member},
     * {@code bind}, {@code members[2]}, {@code secret}, {@code batchInterval}, {@code syncTimeout}) with the cluster
     * module's message ({@code '127.0.0.1:0' (expected: a port from 1 to 65535)}); empty when a member can be built.
     */
    public static List<Violation> problems(ClusterConfig cluster) {
        List<Violation> found = new ArrayList<>();
        tryValue(found, "name", b -> b.name(cluster.name()));
        boolean memberOk = tryValue(found, "member", b -> b.member(cluster.member()).secret(GOOD_SECRET));
        cluster.findBind().ifPresent(bind -> tryValue(found, "bind", b -> b.bind(bind)));
        for (int i = 0; i < cluster.members().size(); i++) {
            String address = cluster.members().get(i);
            tryValue(found, "members[" + i + "]", b -> b.members(List.of(address)));
        }
        if (memberOk) {
            tryValue(found, "secret", b -> b.member(cluster.member()).secret(cluster.secret()));
        }
        cluster.findBatchInterval().ifPresent(d -> tryValue(found, "batchInterval", b -> b.batchInterval(d)));
        cluster.findSyncTimeout().ifPresent(d -> tryValue(found, "syncTimeout", b -> b.syncTimeout(d)));
        return List.copyOf(found);
    }

    /**
     * A member built from {@code cluster}, not started.
     *
     * @throws IllegalArgumentException naming the first bad value by its path in the file ({@code cluster.member:
     *         ...}) when {@link #problems} finds any
     */
    public static ClusterMember.Builder builder(ClusterConfig cluster) {
        List<Violation> problems = problems(cluster);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cluster." + problems.get(0));
        }
        ClusterMember.Builder b = ClusterMember.builder().name(cluster.name()).member(cluster.member())
                .members(cluster.members()).secret(cluster.secret());
        cluster.findBind().ifPresent(b::bind);
        cluster.findBatchInterval().ifPresent(b::batchInterval);
        cluster.findSyncTimeout().ifPresent(b::syncTimeout);
        return b;
    }

    /** Builds a member with {@code change} applied to good values; records its refusal at {@code path}. */
    private static boolean tryValue(List<Violation> found, String path, UnaryOperator<ClusterMember.Builder> change) {
        try {
            change.apply(ClusterMember.builder().name(GOOD_NAME).member(GOOD_MEMBER)).build();
            return true;
        } catch (IllegalArgumentException | NullPointerException e) {
            String message = String.valueOf(e.getMessage());
            int colon = message.indexOf(": ");
            found.add(new Violation(path, colon < 0 ? message : message.substring(colon + 2)));
            return false;
        }
    }
}
