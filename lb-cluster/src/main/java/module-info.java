/**
 * Fleet state for Switchboard on embedded Hazelcast members: {@code ClusterMember} and the replicated persistence
 * stores it hands out ({@code dev.switchboard.cluster}). The internals ({@code dev.switchboard.cluster.internal})
 * are not exported.
 */
module dev.switchboard.cluster {
    requires dev.switchboard.api;
    requires com.hazelcast.core;
    requires org.slf4j;

    exports dev.switchboard.cluster;
}
