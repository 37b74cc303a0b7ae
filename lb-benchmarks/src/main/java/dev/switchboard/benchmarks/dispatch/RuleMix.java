package dev.switchboard.benchmarks.dispatch;

import dev.switchboard.api.ContentRule;
import dev.switchboard.api.MatchType;

/**
 * How {@link DispatchBenchmark} writes its path rules: all literal prefixes, or every tenth one (the 1st, 11th,
 * 21st, ... in order) as a regular expression matching the same paths. Literal-only sub-services go into the
 * engine's hash index; a sub-service with a regular expression is tried in order (on RE2J), so a regex mix costs
 * one regex evaluation per regex rule before the request's match. Immutable and thread-safe.
 */
public enum RuleMix {

    /** Every path rule an ignore-case prefix. */
    LITERAL,
    /** Path rules {@code 0, 10, 20, ...} as ignore-case regular expressions {@code ^/prefix(/|$)}, the rest prefixes. */
    REGEX_MIX;

    /**
     * The path rule at {@code position} (0-based, in rule order) for {@code prefix} (e.g. {@code /owa}; letters,
     * digits, {@code /} and {@code -} only, so it needs no quoting in a regular expression).
     */
    public ContentRule pathRule(int position, String prefix) {
        if (this == REGEX_MIX && position % 10 == 0) {
            return ContentRule.path(MatchType.REGEX, "^" + prefix + "(/|$)").ignoreCase();
        }
        return ContentRule.pathPrefix(prefix).ignoreCase();
    }

    /** How many of {@code ruleCount} path rules are regular expressions. */
    public int regexCount(int ruleCount) {
        return this == REGEX_MIX ? (ruleCount + 9) / 10 : 0;
    }
}
