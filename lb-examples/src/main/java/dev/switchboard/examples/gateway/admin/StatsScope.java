package dev.switchboard.examples.gateway.admin;

import java.util.List;
import java.util.Map;

/** The {@code scope} parameter of {@code GET /api/stats}: this member alone (the default) or the whole fleet. */
enum StatsScope {
    LOCAL,
    CLUSTER;

    /**
     * The scope asked for; {@link #LOCAL} when absent.
     *
     * @throws AdminError 400 naming the value when it is neither {@code local} nor {@code cluster}, or is repeated
     */
    static StatsScope parse(Map<String, List<String>> params) {
        List<String> values = params.getOrDefault("scope", List.of());
        if (values.size() > 1) {
            throw AdminError.badRequest("scope: " + String.join(",", values) + " (expected: one of local, cluster,"
                    + " given once)");
        }
        String value = values.isEmpty() ? "local" : values.get(0);
        return switch (value) {
            case "local" -> LOCAL;
            case "cluster" -> CLUSTER;
            default -> throw AdminError.badRequest("scope: " + value + " (expected: local or cluster)");
        };
    }
}
