package dev.switchboard.netty.internal.vhost;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Which of the virtual services sharing one address a host name (TLS SNI or {@code Host}) chooses: an exact pattern
 * first, then the longest {@code *.} wildcard suffix ({@code *.example.test} matches names below
 * {@code example.test} at any depth, not {@code example.test} itself), else the default. Names are compared in lower
 * case, without a trailing dot and without a {@code :port}. Immutable; thread-safe.
 *
 * <pre>{@code
 * HostTable<String> table = HostTable.<String>builder().add("owa.example.test", "owa")
 *         .add("*.example.test", "any").defaultTo("fallback").build();
 * table.select("OWA.example.test:443", "none");   // "owa"
 * }</pre>
 *
 * @param <T> what a name chooses
 */
public final class HostTable<T> {

    private final Map<String, T> exact;
    private final Map<String, T> wildcards; // keyed by the suffix with its leading dot: ".example.test"
    private final T fallback;

    private HostTable(Builder<T> b) {
        this.exact = Map.copyOf(b.exact);
        this.wildcards = Map.copyOf(b.wildcards);
        this.fallback = b.fallback;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * What {@code host} chooses, or {@code otherwise} when no pattern matches and there is no default.
     *
     * @param host a server name or a {@code Host} header value (port, trailing dot and case are ignored); empty
     *        chooses the default
     */
    public T select(String host, T otherwise) {
        String name = normalize(host);
        if (!name.isEmpty()) {
            T found = exact.get(name);
            if (found != null) {
                return found;
            }
            if (!wildcards.isEmpty()) {
                for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
                    T wild = wildcards.get(name.substring(dot));
                    if (wild != null) {
                        return wild;
                    }
                }
            }
        }
        return fallback != null ? fallback : otherwise;
    }

    /** {@code host} without its port and trailing dot, in lower case ({@code [::1]:80} gives {@code [::1]}). */
    static String normalize(String host) {
        int end = host.length();
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            end = close < 0 ? end : close + 1;
        } else {
            int colon = host.indexOf(':');
            end = colon < 0 ? end : colon;
        }
        if (end > 1 && host.charAt(end - 1) == '.') {
            end--;
        }
        String name = end == host.length() ? host : host.substring(0, end);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                return name.toLowerCase(java.util.Locale.ROOT);
            }
        }
        return name;
    }

    /** Builds a {@link HostTable}; not thread-safe. */
    public static final class Builder<T> {
        private final Map<String, T> exact = new HashMap<>();
        private final Map<String, T> wildcards = new HashMap<>();
        private T fallback;

        private Builder() {
        }

        /**
         * Adds a pattern (lower case, as {@code VirtualService.hostNames()} gives them).
         *
         * @throws IllegalArgumentException when the pattern was added already
         */
        public Builder<T> add(String pattern, T value) {
            Objects.requireNonNull(value, "value");
            String key = pattern.startsWith("*.") ? pattern.substring(1) : pattern;
            Map<String, T> map = pattern.startsWith("*.") ? wildcards : exact;
            T before = map.putIfAbsent(normalize(key), value);
            if (before != null) {
                throw new IllegalArgumentException("hostNames: \"" + pattern + "\" chooses both " + before + " and "
                        + value + " (expected: each host name once per address)");
            }
            return this;
        }

        /**
         * The choice of names no pattern matches.
         *
         * @throws IllegalArgumentException when a default was set already
         */
        public Builder<T> defaultTo(T value) {
            Objects.requireNonNull(value, "value");
            if (fallback != null) {
                throw new IllegalArgumentException("hostNames: both " + fallback + " and " + value
                        + " have none (expected: one default per address)");
            }
            fallback = value;
            return this;
        }

        public HostTable<T> build() {
            return new HostTable<>(this);
        }
    }
}
