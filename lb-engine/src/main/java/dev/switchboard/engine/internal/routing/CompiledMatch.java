package dev.switchboard.engine.internal.routing;

import dev.switchboard.api.ContentMatch;
import dev.switchboard.api.RequestView;
import dev.switchboard.engine.internal.trace.Trace;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** A compiled {@link ContentMatch}: rules combined with any-of or all-of. Immutable and thread-safe. */
public final class CompiledMatch {

    /** Matches everything. */
    public static final CompiledMatch ALWAYS = new CompiledMatch(true, new RuleMatcher[0]);

    private final boolean any;
    private final RuleMatcher[] rules;

    CompiledMatch(boolean any, RuleMatcher[] rules) {
        this.any = any;
        this.rules = rules;
    }

    /** Compiles {@code match}; see {@link RuleMatcher#compile} for what it throws. */
    public static CompiledMatch compile(ContentMatch match) {
        if (match.isAlways()) {
            return ALWAYS;
        }
        List<RuleMatcher> compiled = match.rules().stream().map(RuleMatcher::compile).toList();
        return new CompiledMatch(match.mode() == ContentMatch.Mode.ANY, compiled.toArray(new RuleMatcher[0]));
    }

    /**
     * Whether the request matches; an empty match always does.
     *
     * @param client the client address behind trusted proxies, or null (see {@link RuleMatcher#matches})
     */
    public boolean matches(RequestView request, String path, String host, InetAddress client, Trace trace) {
        if (rules.length == 0) {
            return true;
        }
        for (RuleMatcher rule : rules) {
            boolean hit = rule.matches(request, path, host, client);
            if (trace.enabled()) {
                trace.step("  rule " + rule + (hit ? " matched" : " did not match"));
            }
            if (hit == any) {
                return any;
            }
        }
        return !any;
    }

    /**
     * Literal prefixes of which the path must start with at least one (ASCII case aside) for this match to hold,
     * or an empty list when that is not certain: any-of, each rule's {@link RuleMatcher#requiredPathPrefix()}
     * when every rule has one with ASCII characters only; all-of, the longest such prefix of any of its rules.
     */
    List<String> requiredPathPrefixes() {
        List<String> out = new ArrayList<>();
        for (RuleMatcher rule : rules) {
            String prefix = rule.requiredPathPrefix();
            boolean usable = !prefix.isEmpty() && prefix.chars().allMatch(c -> c < 0x80);
            if (any && !usable) {
                return List.of();
            }
            if (any) {
                out.add(prefix);
            } else if (usable && (out.isEmpty() || prefix.length() > out.get(0).length())) {
                out.clear();
                out.add(prefix);
            }
        }
        return List.copyOf(out);
    }

    boolean isAny() {
        return any;
    }

    RuleMatcher[] rules() {
        return rules;
    }
}
