package dev.switchboard.cluster;

import java.util.Objects;

/**
 * Another member joined the cluster or left it (closed, or unheard of for the heartbeat limit). Immutable.
 *
 * @param member the member's cluster address, {@code host:port}
 * @param joined true when it joined, false when it left
 */
public record MembershipChange(String member, boolean joined) {

    public MembershipChange {
        Objects.requireNonNull(member, "member");
    }
}
