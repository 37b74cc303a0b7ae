package dev.switchboard.engine.internal.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of the sub-services that {@link ContentSwitch} tries in order may match a path, by the literal text their
 * match requires the path to start with (see {@link RuleMatcher#requiredPathPrefix()}): a trie of those prefixes,
 * ASCII letters folded to lower case, whose nodes list the positions (in try order) of the sub-services whose
 * prefix ends there. Sub-services without such a prefix are always candidates.
 *
 * <p>It is a filter, never a decision: a candidate is still evaluated by its own compiled match, so the first
 * sub-service in order that matches wins exactly as without the filter. It only leaves out sub-services whose
 * required prefix the path does not start with, ignoring ASCII case, which they could not match (a case-sensitive
 * prefix that differs in case is left to its matcher). A path with a non-ASCII character within the longest
 * prefix's length is not {@link #covers covered} (Unicode case folding: {@code k} matches the Kelvin sign), and
 * the caller tries every sub-service.
 *
 * <p>Immutable and thread-safe; {@link #next} walks at most the longest prefix's length of characters, allocates
 * nothing and costs the same for 10 or 1,000 prefixed sub-services.
 *
 * <pre>{@code
 * for (int k = filter.next(path, -1); k != PathPrefixFilter.NONE; k = filter.next(path, k)) { ... }
 * }</pre>
 */
final class PathPrefixFilter {

    /** Returned by {@link #next} when no further sub-service may match. */
    static final int NONE = Integer.MAX_VALUE;

    private final Node root;
    /** Positions of the sub-services without a required prefix, ascending. */
    private final int[] unfiltered;
    /** The longest prefix's length; 0 when no sub-service has one. */
    private final int depth;

    private PathPrefixFilter(Node root, int[] unfiltered, int depth) {
        this.root = root;
        this.unfiltered = unfiltered;
        this.depth = depth;
    }

    /**
     * Builds the filter.
     *
     * @param prefixes for each position in try order, the prefixes of which the path must start with at least one
     *     (ASCII case ignored) for the sub-service to match; an empty list for "always a candidate"
     */
    static PathPrefixFilter of(List<List<String>> prefixes) {
        Draft root = new Draft();
        List<Integer> unfiltered = new ArrayList<>();
        int depth = 0;
        for (int k = 0; k < prefixes.size(); k++) {
            List<String> own = prefixes.get(k);
            if (own.isEmpty()) {
                unfiltered.add(k);
                continue;
            }
            for (String prefix : own) {
                Draft node = root;
                for (int i = 0; i < prefix.length(); i++) {
                    node = node.children.computeIfAbsent(Ascii.lower(prefix.charAt(i)), c -> new Draft());
                }
                node.positions.add(k);
                depth = Math.max(depth, prefix.length());
            }
        }
        return new PathPrefixFilter(root.freeze(), unfiltered.stream().mapToInt(Integer::intValue).toArray(), depth);
    }

    /** Whether some sub-service has a prefix (else {@link #covers} is false for every path). */
    boolean filters() {
        return depth > 0;
    }

    /**
     * Whether {@link #next} may be used for {@code path}: some sub-service has a prefix, and the path has no
     * non-ASCII character within the longest prefix's length.
     */
    boolean covers(String path) {
        if (depth == 0) {
            return false;
        }
        int limit = Math.min(path.length(), depth);
        for (int i = 0; i < limit; i++) {
            if (path.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * The lowest position above {@code after} whose sub-service may match {@code path}, or {@link #NONE}; only for
     * a path this filter {@link #covers}.
     */
    int next(String path, int after) {
        int best = firstAbove(unfiltered, after);
        Node node = root;
        int length = path.length();
        for (int i = 0; i < length; i++) {
            int slot = node.slot(Ascii.lower(path.charAt(i)));
            if (slot < 0) {
                break;
            }
            node = node.children[slot];
            int p = firstAbove(node.positions, after);
            if (p < best) {
                best = p;
            }
        }
        return best;
    }

    /** The first value above {@code after}, by binary search (a walk over many unfiltered positions stays linear). */
    private static int firstAbove(int[] ascending, int after) {
        int low = 0;
        int high = ascending.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (ascending[mid] > after) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low < ascending.length ? ascending[low] : NONE;
    }

    /** A frozen trie node: children by (lower-cased) character, and the positions whose prefix ends here. */
    private static final class Node {
        private final char[] keys;
        private final Node[] children;
        private final int[] positions;

        Node(char[] keys, Node[] children, int[] positions) {
            this.keys = keys;
            this.children = children;
            this.positions = positions;
        }

        /** The index of the child for {@code c}, or -1. */
        int slot(char c) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] == c) {
                    return i;
                }
            }
            return -1;
        }
    }

    /** A node while the trie is built. */
    private static final class Draft {
        private final Map<Character, Draft> children = new TreeMap<>();
        private final List<Integer> positions = new ArrayList<>();

        Node freeze() {
            char[] keys = new char[children.size()];
            Node[] frozen = new Node[children.size()];
            int i = 0;
            for (Map.Entry<Character, Draft> e : children.entrySet()) {
                keys[i] = e.getKey();
                frozen[i++] = e.getValue().freeze();
            }
            int[] own = positions.stream().mapToInt(Integer::intValue).distinct().toArray();
            Arrays.sort(own);
            return new Node(keys, frozen, own);
        }
    }
}
