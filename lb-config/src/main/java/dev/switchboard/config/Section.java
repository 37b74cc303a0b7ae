package dev.switchboard.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.api.Address;
import dev.switchboard.api.Cidr;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * One JSON object of the configuration file with its path: typed reads that record every problem (wrong type,
 * out of range, bad enum, bad duration or address) in the shared {@link ConfigErrors} and return a default, so
 * that reading goes on and every problem of the file is reported at once. Not thread-safe.
 */
final class Section {

    /** A placeholder for an address that could not be read; never used, since the read then fails. */
    static final Address NO_ADDRESS = Address.of("invalid.invalid", 1);

    private final JsonNode node;
    private final String path;
    private final ConfigErrors errors;

    private Section(JsonNode node, String path, ConfigErrors errors) {
        this.node = node;
        this.path = path;
        this.errors = errors;
    }

    /**
     * The object {@code node} at {@code path}, whose keys must be among {@code keys}; empty (with the problem
     * recorded) when it is not an object. Unknown keys are recorded, the rest is still readable.
     */
    static Optional<Section> find(JsonNode node, String path, ConfigErrors errors, Set<String> keys) {
        if (!node.isObject()) {
            errors.add(path, "expected an object", node);
            return Optional.empty();
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (!keys.contains(f.getKey())) {
                errors.add(child(path, f.getKey()), "unknown key", f.getValue());
            }
        }
        return Optional.of(new Section(node, path, errors));
    }

    /** The configuration names of {@code values}, in declaration order, for {@link #choice}. */
    static <E extends Enum<E>> Map<String, E> names(E[] values, Function<E, String> name) {
        Map<String, E> map = new LinkedHashMap<>();
        for (E e : values) {
            map.put(name.apply(e), e);
        }
        return map;
    }

    static String child(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    String path() {
        return path;
    }

    String path(String key) {
        return child(path, key);
    }

    ConfigErrors errors() {
        return errors;
    }

    /** Whether {@code key} is present (an explicit {@code null} counts as present, and is then a wrong type). */
    boolean has(String key) {
        return node.has(key);
    }

    /** The raw value of {@code key}; a missing node when absent. */
    JsonNode raw(String key) {
        return node.path(key);
    }

    /** A nested object, checked like {@link #find}; empty when absent or not an object. */
    Optional<Section> findObject(String key, Set<String> keys) {
        return has(key) ? find(raw(key), path(key), errors, keys) : Optional.empty();
    }

    /** The elements of an array; empty when absent or not an array (recorded). */
    List<JsonNode> array(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = raw(key);
        if (!v.isArray()) {
            errors.add(path(key), "expected an array", v);
            return List.of();
        }
        List<JsonNode> list = new ArrayList<>();
        v.forEach(list::add);
        return list;
    }

    Optional<String> findString(String key) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode v = raw(key);
        if (!v.isTextual()) {
            errors.add(path(key), "expected a string", v);
            return Optional.empty();
        }
        return Optional.of(v.textValue());
    }

    String string(String key, String orElse) {
        return findString(key).orElse(orElse);
    }

    /** A required string; {@code ""} (with the problem recorded) when absent or not a string. */
    String requiredString(String key, String expected) {
        if (!has(key)) {
            errors.missing(path(key), expected);
            return "";
        }
        return string(key, "");
    }

    /** A required non-empty string. */
    String requiredNonEmpty(String key, String expected) {
        String s = requiredString(key, expected);
        if (s.isEmpty() && raw(key).isTextual()) {
            errors.add(path(key), "empty, expected " + expected, raw(key));
        }
        return s;
    }

    boolean bool(String key, boolean orElse) {
        if (!has(key)) {
            return orElse;
        }
        JsonNode v = raw(key);
        if (!v.isBoolean()) {
            errors.add(path(key), "expected true or false", v);
            return orElse;
        }
        return v.booleanValue();
    }

    Optional<Integer> findInteger(String key, int min, int max) {
        if (!has(key)) {
            return Optional.empty();
        }
        JsonNode v = raw(key);
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min || v.intValue() > max) {
            String range = min == Integer.MIN_VALUE && max == Integer.MAX_VALUE ? ""
                    : max == Integer.MAX_VALUE ? " >= " + min : " " + min + ".." + max;
            errors.add(path(key), "expected an integer" + range, v);
            return Optional.empty();
        }
        return Optional.of(v.intValue());
    }

    /** Any whole number that fits an int; the model's validation checks its range. */
    Optional<Integer> findInteger(String key) {
        return findInteger(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    int integer(String key, int orElse, int min, int max) {
        return findInteger(key, min, max).orElse(orElse);
    }

    Optional<Duration> findDuration(String key) {
        return findString(key).flatMap(text -> {
            Optional<String> problem = Durations.findProblem(text);
            if (problem.isPresent()) {
                errors.add(path(key), "bad duration: " + problem.get() + ", expected " + Durations.EXPECTED, raw(key));
                return Optional.empty();
            }
            return Optional.of(Durations.parse(text));
        });
    }

    Duration duration(String key, Duration orElse) {
        return findDuration(key).orElse(orElse);
    }

    Optional<Address> findAddress(String key) {
        return findString(key).flatMap(text -> findAddress(text, path(key), raw(key), errors));
    }

    /** A required address; {@link #NO_ADDRESS} (with the problem recorded) when absent or bad. */
    Address requiredAddress(String key) {
        if (!has(key)) {
            errors.missing(path(key), "an address host:port");
            return NO_ADDRESS;
        }
        return findAddress(key).orElse(NO_ADDRESS);
    }

    static Optional<Address> findAddress(String text, String path, JsonNode raw, ConfigErrors errors) {
        try {
            return Optional.of(Address.parse(text));
        } catch (IllegalArgumentException e) {
            errors.add(path, "bad address, expected host:port or [ipv6]:port with a port 1..65535", raw);
            return Optional.empty();
        }
    }

    /** A CIDR block read from a string node at {@code path}. */
    static Optional<Cidr> findCidr(JsonNode v, String path, ConfigErrors errors) {
        if (!v.isTextual()) {
            errors.add(path, "expected a CIDR block as a string", v);
            return Optional.empty();
        }
        try {
            return Optional.of(Cidr.parse(v.textValue()));
        } catch (IllegalArgumentException e) {
            errors.add(path, "bad CIDR block, expected an IP address with an optional /prefix such as 10.0.0.0/8", v);
            return Optional.empty();
        }
    }

    /** One of the names in {@code allowed}; the message lists them all. */
    <T> Optional<T> findChoice(String key, Map<String, T> allowed) {
        return findString(key).flatMap(text -> {
            T value = allowed.get(text);
            if (value == null) {
                errors.add(path(key), "expected one of " + String.join(", ", allowed.keySet()), raw(key));
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }

    /** A required choice; empty (with the problem recorded) when absent or not one of {@code allowed}. */
    <T> Optional<T> findRequiredChoice(String key, Map<String, T> allowed) {
        if (!has(key)) {
            errors.missing(path(key), "one of " + String.join(", ", allowed.keySet()));
            return Optional.empty();
        }
        return findChoice(key, allowed);
    }

    <T> T choice(String key, Map<String, T> allowed, T orElse) {
        return findChoice(key, allowed).orElse(orElse);
    }

    /** Records a problem at {@code key} of this object, with its value. */
    void problem(String key, String what) {
        errors.add(path(key), what, raw(key));
    }
}
