package dev.switchboard.engine.internal.routing;

import dev.switchboard.api.RequestView;
import dev.switchboard.engine.internal.trace.Trace;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Chooses the sub-service of a request: the first (in configuration order) whose content match holds.
 *
 * <p>Sub-services whose match is only positive plain path literals (exact or prefix, any case mode) go into
 * {@link LiteralIndex hash indexes}; the others are tried in order. A lookup asks the indexes for the lowest
 * matching index, then tries only the non-indexed sub-services that come before it, so the first-match-wins order
 * holds while the cost of literal rules does not grow with their number. Of the sub-services tried in order, only
 * those whose match may hold for the path by the literal text it requires the path to start with are evaluated
 * (a {@link PathPrefixFilter}: a regular expression {@code ^/api/v[0-9]+/} is not run for {@code /static/x}), so
 * that 1,000 anchored regex rules cost about what 8 do (from {@value #MIN_FILTERED} such sub-services on).
 * Immutable and thread-safe.
 */
public final class ContentSwitch {

    /** Returned when no sub-service matches. */
    public static final int NO_MATCH = -1;
    /**
     * The fewest sub-services with a required prefix, among those tried in order, for which the prefix filter is
     * used: below it, evaluating each costs about what the filter's walk does.
     */
    static final int MIN_FILTERED = 8;

    private final LiteralIndex[] indexes;
    private final int[] linearIndex;
    private final CompiledMatch[] linearMatch;
    private final PathPrefixFilter filter;
    /** Whether {@link #filter} has any prefix (else every sub-service tried in order is evaluated). */
    private final boolean filtering;
    private final String[] names;

    private ContentSwitch(LiteralIndex[] indexes, int[] linearIndex, CompiledMatch[] linearMatch,
            PathPrefixFilter filter, String[] names) {
        this.indexes = indexes;
        this.linearIndex = linearIndex;
        this.linearMatch = linearMatch;
        this.filter = filter;
        this.filtering = filter.filters();
        this.names = names;
    }

    /**
     * Builds the switch.
     *
     * @param matches the compiled match of every sub-service, in order
     * @param defaults which sub-services are defaults (they take part only through {@code matches} if they have
     *     rules; the caller falls back to the default when this returns {@link #NO_MATCH})
     * @param names sub-service names, for the trace
     */
    public static ContentSwitch build(List<CompiledMatch> matches, boolean[] defaults, String[] names) {
        return build(matches, defaults, names, MIN_FILTERED);
    }

    /**
     * As above, with the prefix filter only when at least {@code minFiltered} of the sub-services tried in order
     * have a required prefix ({@code Integer.MAX_VALUE}: never, every such sub-service evaluated; tests compare).
     */
    static ContentSwitch build(List<CompiledMatch> matches, boolean[] defaults, String[] names, int minFiltered) {
        LiteralIndex.Builder[] builders = {
            new LiteralIndex.Builder(false, false), new LiteralIndex.Builder(false, true),
            new LiteralIndex.Builder(true, false), new LiteralIndex.Builder(true, true),
        };
        int[] used = new int[4];
        List<Integer> linear = new ArrayList<>();
        for (int i = 0; i < matches.size(); i++) {
            CompiledMatch m = matches.get(i);
            if (m.rules().length == 0) {
                continue; // only a default has no rules; it is the fallback, not a match
            }
            if (!indexable(m)) {
                linear.add(i);
                continue;
            }
            for (RuleMatcher r : m.rules()) {
                int which = (r.isPrefix() ? 2 : 0) + (r.isIgnoreCase() ? 1 : 0);
                builders[which].add(r.value(), i);
                used[which]++;
            }
        }
        List<LiteralIndex> indexes = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            if (used[k] > 0) {
                indexes.add(builders[k].build());
            }
        }
        int[] linearIndex = linear.stream().mapToInt(Integer::intValue).toArray();
        CompiledMatch[] linearMatch = linear.stream().map(matches::get).toArray(CompiledMatch[]::new);
        List<List<String>> prefixes = Arrays.stream(linearMatch).map(CompiledMatch::requiredPathPrefixes).toList();
        if (prefixes.stream().filter(p -> !p.isEmpty()).count() < minFiltered) {
            prefixes = prefixes.stream().map(p -> List.<String>of()).toList();
        }
        PathPrefixFilter filter = PathPrefixFilter.of(prefixes);
        return new ContentSwitch(indexes.toArray(new LiteralIndex[0]), linearIndex, linearMatch, filter,
                names.clone());
    }

    private static boolean indexable(CompiledMatch m) {
        RuleMatcher[] rules = m.rules();
        if (!m.isAny() && rules.length != 1) {
            return false;
        }
        for (RuleMatcher r : rules) {
            if (!r.isIndexable()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the first matching sub-service, or {@link #NO_MATCH}.
     *
     * @param client the client address behind trusted proxies, or null (see {@link RuleMatcher#matches})
     */
    public int select(RequestView request, String path, String host, InetAddress client, Trace trace) {
        int best = LiteralIndex.NONE;
        for (LiteralIndex index : indexes) {
            int v = index.lookup(path);
            if (v < best) {
                best = v;
            }
        }
        if (trace.enabled() && best != LiteralIndex.NONE) {
            trace.step("literal path index: first match is sub-service '" + names[best] + "'");
        }
        if (filtering && !trace.enabled() && filter.covers(path)) {
            return selectFiltered(request, path, host, client, best);
        }
        for (int k = 0; k < linearIndex.length && linearIndex[k] < best; k++) {
            if (trace.enabled()) {
                trace.step("trying sub-service '" + names[linearIndex[k]] + "'");
            }
            if (linearMatch[k].matches(request, path, host, client, trace)) {
                return linearIndex[k];
            }
        }
        return best == LiteralIndex.NONE ? NO_MATCH : best;
    }

    /** The tried-in-order part of {@link #select} through the prefix filter, without a trace. */
    private int selectFiltered(RequestView request, String path, String host, InetAddress client, int best) {
        for (int k = filter.next(path, -1); k != PathPrefixFilter.NONE && linearIndex[k] < best;
                k = filter.next(path, k)) {
            if (linearMatch[k].matches(request, path, host, client, Trace.OFF)) {
                return linearIndex[k];
            }
        }
        return best == LiteralIndex.NONE ? NO_MATCH : best;
    }

    /** How many sub-services are matched by the index (the rest are tried in order); for tests and stats. */
    public int linearCount() {
        return linearIndex.length;
    }
}
