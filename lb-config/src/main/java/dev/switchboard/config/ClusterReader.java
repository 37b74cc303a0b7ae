package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Violation;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the top-level {@code cluster} object: its keys and their types here, its values through the
 * {@link ClusterValueCheck} the reader was given (the cluster module's rules), every problem named by its path.
 * Stateless.
 */
final class ClusterReader {

    static final Set<String> KEYS = Set.of("name", "member", "members", "secret", "bind", "batchInterval",
            "syncTimeout");

    private ClusterReader() {
    }

    /**
     * The section of {@code top}, or {@link ClusterConfig#none()} when there is none. When its keys and types are
     * right, {@code check} judges its values and each violation becomes a line at {@code cluster.<its path>}.
     */
    static ClusterConfig read(Section top, ClusterValueCheck check, ViolationLines violations) {
        if (!top.has("cluster")) {
            return ClusterConfig.none();
        }
        ConfigErrors errors = top.errors();
        int before = errors.count();
        Optional<ClusterConfig> read = top.findObject("cluster", KEYS).map(ClusterReader::section);
        if (read.isEmpty() || errors.count() != before) {
            return ClusterConfig.none(); // the file is refused anyway; its values are judged once the types are right
        }
        for (Violation v : check.problems(read.get())) {
            violations.add(Section.child(top.path("cluster"), v.path()), v.message());
        }
        return read.get();
    }

    private static ClusterConfig section(Section s) {
        String name = s.requiredString("name", "the cluster's name, the same on every member");
        String member = s.requiredString("member", "this member's cluster address ip:port");
        List<String> members = new ArrayList<>();
        List<JsonNode> nodes = s.array("members");
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode m = nodes.get(i);
            if (m.isTextual()) {
                members.add(m.textValue());
            } else {
                s.errors().add(s.path("members") + "[" + i + "]", "expected an address ip:port as a string", m);
            }
        }
        ClusterConfig config = ClusterConfig.of(name, member, members, s.string("secret", ""));
        Optional<String> bind = s.findString("bind");
        if (bind.isPresent()) {
            config = config.withBind(bind.get());
        }
        Optional<Duration> batchInterval = s.findDuration("batchInterval");
        if (batchInterval.isPresent()) {
            config = config.withBatchInterval(batchInterval.get());
        }
        Optional<Duration> syncTimeout = s.findDuration("syncTimeout");
        if (syncTimeout.isPresent()) {
            config = config.withSyncTimeout(syncTimeout.get());
        }
        return config;
    }
}
