package dev.switchboard.engine.internal.routing;

import java.util.Arrays;

/**
 * A hash table from literal paths (exact or prefix, case-sensitive or not) to the lowest sub-service index that
 * has that literal as a rule. Lookups walk the path once, computing a rolling hash, and probe only at the lengths
 * some key has, so the cost depends on the number of distinct key lengths, not on the number of rules. Zero
 * allocation per lookup. Immutable after {@link Builder#build()}; thread-safe.
 */
final class LiteralIndex {

    /** Returned when nothing matches. */
    static final int NONE = Integer.MAX_VALUE;

    private final boolean prefix;
    private final boolean ignoreCase;
    private final String[] keys;
    private final int[] hashes;
    private final int[] values;
    private final int mask;
    private final boolean[] lengths;
    private final int maxLength;

    private LiteralIndex(boolean prefix, boolean ignoreCase, String[] keys, int[] hashes, int[] values,
            boolean[] lengths, int maxLength) {
        this.prefix = prefix;
        this.ignoreCase = ignoreCase;
        this.keys = keys;
        this.hashes = hashes;
        this.values = values;
        this.mask = keys.length - 1;
        this.lengths = lengths;
        this.maxLength = maxLength;
    }

    /**
     * The lowest sub-service index whose literal matches {@code path}: equal to it (exact index), or a prefix
     * of it (prefix index); {@link #NONE} when none does.
     */
    int lookup(String path) {
        if (prefix) {
            return lookupPrefix(path);
        }
        int len = path.length();
        if (len > maxLength || !lengths[len]) {
            return NONE;
        }
        int h = 0;
        for (int i = 0; i < len; i++) {
            h = 31 * h + fold(path.charAt(i));
        }
        return probe(path, len, h);
    }

    private int lookupPrefix(String path) {
        int best = NONE;
        int limit = Math.min(path.length(), maxLength);
        int h = 0;
        for (int i = 0; i < limit; i++) {
            h = 31 * h + fold(path.charAt(i));
            if (lengths[i + 1]) {
                int v = probe(path, i + 1, h);
                if (v < best) {
                    best = v;
                }
            }
        }
        return best;
    }

    private int probe(String path, int len, int h) {
        for (int slot = spread(h) & mask; ; slot = (slot + 1) & mask) {
            String key = keys[slot];
            if (key == null) {
                return NONE;
            }
            if (hashes[slot] == h && key.length() == len && sameChars(path, key, len)) {
                return values[slot];
            }
        }
    }

    /** Whether the first {@code len} chars of {@code path} equal {@code key} (already folded), folding ASCII case. */
    private boolean sameChars(String path, String key, int len) {
        if (!ignoreCase) {
            return path.regionMatches(0, key, 0, len);
        }
        for (int i = 0; i < len; i++) {
            if (fold(path.charAt(i)) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private char fold(char c) {
        return ignoreCase && c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        return h ^ (h >>> 13);
    }

    boolean isEmpty() {
        return maxLength < 0;
    }

    /** Collects literals; not thread-safe. */
    static final class Builder {
        private final boolean prefix;
        private final boolean ignoreCase;
        private final java.util.LinkedHashMap<String, Integer> entries = new java.util.LinkedHashMap<>();

        Builder(boolean prefix, boolean ignoreCase) {
            this.prefix = prefix;
            this.ignoreCase = ignoreCase;
        }

        /** Adds a literal for sub-service {@code index}; an earlier (lower) index for the same literal wins. */
        void add(String literal, int index) {
            String key = ignoreCase ? asciiLower(literal) : literal;
            entries.merge(key, index, Math::min);
        }

        LiteralIndex build() {
            int capacity = Integer.highestOneBit(Math.max(4, entries.size() * 2 - 1)) << 1;
            String[] keys = new String[capacity];
            int[] hashes = new int[capacity];
            int[] values = new int[capacity];
            int maxLength = entries.keySet().stream().mapToInt(String::length).max().orElse(-1);
            boolean[] lengths = new boolean[maxLength + 1];
            LiteralIndex shape = new LiteralIndex(prefix, ignoreCase, keys, hashes, values, lengths, maxLength);
            for (var e : entries.entrySet()) {
                String key = e.getKey();
                lengths[key.length()] = true;
                int h = 0;
                for (int i = 0; i < key.length(); i++) {
                    h = 31 * h + shape.fold(key.charAt(i));
                }
                int slot = spread(h) & (capacity - 1);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (capacity - 1);
                }
                keys[slot] = key;
                hashes[slot] = h;
                values[slot] = e.getValue();
            }
            return shape;
        }

        private static String asciiLower(String s) {
            char[] chars = s.toCharArray();
            for (int i = 0; i < chars.length; i++) {
                if (chars[i] >= 'A' && chars[i] <= 'Z') {
                    chars[i] += 32;
                }
            }
            return new String(chars);
        }
    }

    @Override
    public String toString() {
        return (prefix ? "prefix" : "exact") + (ignoreCase ? "/ci" : "") + Arrays.toString(keys);
    }
}
