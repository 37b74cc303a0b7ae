package dev.switchboard.examples.gateway.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JSON of {@code GET /api/stats?scope=cluster}: the members' {@code GET /api/stats} documents merged into the same
 * tree. Objects merge key by key, lists of named entries (virtual services, sub-services, real servers) by name (the
 * union, in order of first appearance); every counter is the sum over the live members; other values (names,
 * addresses, states, health, settings such as {@code weight} or {@code maxConnections}, gauges such as
 * {@code healthyServers}) are those of the first live member that has them, this member first. Rates per second
 * ({@code rate.current}, {@code rate.errorsCurrent}) are summed too, {@code rate.maxLastMinute} as well (the sum of
 * the members' busiest seconds: an upper bound of the fleet's); a percentile ({@code latency.p50Millis},
 * {@code p99Millis}) is the highest of the members' (the fleet's own lies between their lowest and highest). On top,
 * {@code "scope": "cluster"}, {@code "members"} ({@code name}, {@code alive}, {@code self}, {@code ageMillis},
 * {@code summed}) and {@code "healthDisagreements"}; each real server adds {@code "byMember"} (each live member's
 * counters, state, health and last probe), {@code "healthAgrees"} and {@code "stateAgrees"}. Members that left
 * are listed but not summed; this member always is (with its stats now, not its published document). Stateless; a
 * pure function of its arguments.
 */
final class FleetStatsJson {

    /** Numbers that are settings or per-member gauges, not counters: never summed. */
    private static final Set<String> NOT_SUMMED = Set.of("weight", "cap", "maxConnections",
            "maxConnectionsPerClient", "healthyServers", "latencyMillis", "status");
    /** Per-second rates of {@code "rate"} objects: summed, as counters are. */
    private static final Set<String> RATES = Set.of("current", "maxLastMinute", "errorsCurrent");
    /** Percentiles of {@code "latency"} objects: the highest member's. */
    private static final Set<String> PERCENTILES = Set.of("p50Millis", "p99Millis");
    /** Real-server fields that are the same on every member: left out of {@code byMember}. */
    private static final Set<String> SHARED = Set.of("name", "address", "weight", "backup");

    /** One live member's parsed document. */
    private record Part(String member, JsonNode node) {
    }

    private FleetStatsJson() {
    }

    /**
     * The fleet tree.
     *
     * @param members   every member the source lists (this one with {@code self})
     * @param selfStats this member's stats now; used instead of its published document
     */
    static ObjectNode render(List<FleetMember> members, ObjectNode selfStats) {
        ObjectNode root = AdminResponse.JSON.createObjectNode();
        root.put("scope", "cluster");
        ArrayNode list = root.putArray("members");
        List<Part> parts = new ArrayList<>();
        for (FleetMember m : members) {
            ObjectNode doc = m.self() ? selfStats : parse(m.document());
            boolean summed = doc != null && (m.alive() || m.self()); // this gateway serves even if its member left
            ObjectNode e = list.addObject();
            e.put("name", m.name());
            e.put("alive", m.alive());
            e.put("self", m.self());
            e.put("ageMillis", m.self() ? 0 : m.age().toMillis());
            e.put("summed", summed);
            if (doc == null) {
                e.put("error", m.document().length == 0 ? "no stats document yet" : "unreadable stats document");
            }
            if (summed) {
                parts.add(new Part(m.name(), doc));
            }
        }
        ObjectNode merged = mergeObjects(parts, "");
        if (!merged.has("virtualServices")) {
            merged.putArray("virtualServices");
        }
        root.setAll(merged);
        root.put("healthDisagreements", root.findValues("healthAgrees").stream().filter(v -> !v.asBoolean()).count());
        return root;
    }

    private static ObjectNode parse(byte[] document) {
        if (document.length == 0) {
            return null;
        }
        try {
            JsonNode n = AdminResponse.JSON.readTree(document);
            return n instanceof ObjectNode o ? o : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Merges the objects of {@code parts} ({@code key}: the field they are the value of). */
    private static ObjectNode mergeObjects(List<Part> parts, String key) {
        ObjectNode out = AdminResponse.JSON.createObjectNode();
        Set<String> fields = new LinkedHashSet<>();
        parts.forEach(p -> p.node().fieldNames().forEachRemaining(fields::add));
        for (String field : fields) {
            List<Part> values = new ArrayList<>();
            for (Part p : parts) {
                JsonNode v = p.node().get(field);
                if (v != null) {
                    values.add(new Part(p.member(), v));
                }
            }
            out.set(field, merge(values, field));
        }
        if (key.equals("realServers")) {
            byMember(out, parts);
        }
        return out;
    }

    private static JsonNode merge(List<Part> values, String field) {
        JsonNode first = values.get(0).node();
        if (first.isIntegralNumber() && !NOT_SUMMED.contains(field)) {
            long sum = 0;
            for (Part v : values) {
                sum += v.node().asLong();
            }
            return AdminResponse.JSON.getNodeFactory().numberNode(sum);
        }
        if (first.isNumber() && (RATES.contains(field) || PERCENTILES.contains(field))) {
            boolean sum = RATES.contains(field);
            double out = sum ? 0 : Double.NEGATIVE_INFINITY;
            for (Part v : values) {
                out = sum ? out + v.node().asDouble() : Math.max(out, v.node().asDouble());
            }
            return AdminResponse.JSON.getNodeFactory().numberNode(StatsJson.round(out));
        }
        if (first.isObject()) {
            return mergeObjects(values.stream().filter(v -> v.node().isObject()).toList(), field);
        }
        if (first.isArray() && isNamed(first)) {
            return mergeNamed(values, field);
        }
        return first.deepCopy();
    }

    private static boolean isNamed(JsonNode array) {
        for (JsonNode e : array) {
            if (!e.isObject() || !e.path("name").isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** Lists of named entries: the union by name, each entry merged over the members that have it. */
    private static ArrayNode mergeNamed(List<Part> values, String field) {
        Map<String, List<Part>> byName = new LinkedHashMap<>();
        for (Part v : values) {
            if (!v.node().isArray()) {
                continue;
            }
            for (JsonNode e : v.node()) {
                byName.computeIfAbsent(e.path("name").asText(), n -> new ArrayList<>()).add(new Part(v.member(), e));
            }
        }
        ArrayNode out = AdminResponse.JSON.createArrayNode();
        byName.values().forEach(entries -> out.add(mergeObjects(entries, field)));
        return out;
    }

    private static void byMember(ObjectNode server, List<Part> parts) {
        ObjectNode by = server.putObject("byMember");
        Set<String> health = new LinkedHashSet<>();
        Set<String> state = new LinkedHashSet<>();
        for (Part p : parts) {
            ObjectNode mine = by.putObject(p.member());
            p.node().fields().forEachRemaining(f -> {
                if (!SHARED.contains(f.getKey())) {
                    mine.set(f.getKey(), f.getValue().deepCopy());
                }
            });
            health.add(p.node().path("health").asText());
            state.add(p.node().path("state").asText());
        }
        server.put("healthAgrees", health.size() <= 1);
        server.put("stateAgrees", state.size() <= 1);
    }
}
